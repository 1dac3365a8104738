//! The banks compiled into the binary, written by build.rs into OUT_DIR: every file under
//! question-banks/ (`EMBEDDED_FILES`), and each exam that passed the build-time check,
//! encoded (`PREBUILT_EXAMS`, see `bank::prebuilt`).

include!(concat!(env!("OUT_DIR"), "/embedded_banks.rs"));
