//! The `--bank-dir` cache in `<data dir>/bank-cache/` (docs/architecture.md, "Bank-dir
//! cache"): a hit runs exactly the exam a parse runs, an edit is a miss, a damaged entry is
//! ignored and written again, a data folder that cannot be written changes nothing, `check`
//! never uses it, and writers racing leave one valid entry.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::util::{Run, Test, tiny_bank};

const CLOCK: &str = "1800000000000+10000";

/// A copy of the tiny bank inside the test folder (tests edit it).
fn bank_copy(test: &Test) -> PathBuf {
    let to = test.dir.path().join("bank/tiny");
    fs::create_dir_all(&to).unwrap();
    for entry in fs::read_dir(tiny_bank()).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_file() {
            fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
    to
}

/// Runs proctor on `bank` with `data` as its data folder and the fake clock.
fn run(data: &Path, bank: &Path, args: &[&str], stdin: &str) -> Run {
    let mut all = vec!["--bank-dir", bank.to_str().unwrap(), "--data-dir", data.to_str().unwrap()];
    all.extend_from_slice(args);
    Test::new().args(&all).stdin(stdin).env("PROCTOR_FAKE_CLOCK", CLOCK).run()
}

/// A second question file: the same questions under new ids (near-duplicate stems, which
/// are warnings: the bank still loads).
fn add_copies(bank: &Path) {
    let text = fs::read_to_string(bank.join("questions.toml")).unwrap();
    fs::write(bank.join("zz-copies.toml"), text.replace("id = \"", "id = \"extra-")).unwrap();
}

/// The files in the cache folder of `data`.
fn cache_files(data: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(data.join("bank-cache")) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

/// The one entry in the cache of `data`.
fn the_entry(data: &Path) -> PathBuf {
    let files = cache_files(data);
    assert_eq!(files.len(), 1, "one entry per exam folder, no temporary files: {files:?}");
    assert!(files[0].extension().is_some_and(|e| e == "bank"), "{files:?}");
    files[0].clone()
}

fn inode(path: &Path) -> u64 {
    fs::metadata(path).unwrap().ino()
}

/// A data folder in which the cache cannot be written (its cache folder is a file), so
/// every command parses the bank: the reference a hit is compared with.
fn uncached_data(test: &Test) -> PathBuf {
    let data = test.dir.path().join("uncached");
    fs::create_dir_all(&data).unwrap();
    fs::write(data.join("bank-cache"), "not a folder").unwrap();
    data
}

const EXAM: &[&str] = &["exam", "tiny", "--seed", "1", "--json"];
const REVIEW: &[&str] = &["review", "tiny", "--all", "--seed", "5", "--json"];
const ANSWERS: &str = "b\nnext\nac\nnext\nflag\nd\nsubmit\n";

#[test]
fn a_cache_hit_runs_exactly_the_exam_a_parse_runs() {
    let test = Test::new();
    let bank = bank_copy(&test);
    let data = test.data_dir();
    fs::create_dir_all(&data).unwrap();
    let reference = uncached_data(&test);

    let listed = run(&data, &bank, &["list", "--json"], "");
    assert_eq!(listed.status, 0, "{}", listed.stderr);
    let entry = the_entry(&data);
    let written = inode(&entry);

    // Every later command is a hit: the entry is read, never written again.
    let hit_list = run(&data, &bank, &["list", "--json"], "");
    let hit_exam = run(&data, &bank, EXAM, ANSWERS);
    let hit_drill = run(&data, &bank, &["drill", "tiny", "--seed", "2", "--count", "3"], "a\nb\nc\n");
    let hit_stats = run(&data, &bank, &["stats", "tiny", "--json"], "");
    let hit_review = run(&data, &bank, REVIEW, "a\nb\nsubmit\n");
    assert_eq!(inode(&the_entry(&data)), written, "a hit rewrote the entry");

    let parsed_list = run(&reference, &bank, &["list", "--json"], "");
    let parsed_exam = run(&reference, &bank, EXAM, ANSWERS);
    let parsed_drill = run(&reference, &bank, &["drill", "tiny", "--seed", "2", "--count", "3"], "a\nb\nc\n");
    let parsed_stats = run(&reference, &bank, &["stats", "tiny", "--json"], "");
    let parsed_review = run(&reference, &bank, REVIEW, "a\nb\nsubmit\n");
    assert!(fs::metadata(reference.join("bank-cache")).unwrap().is_file(), "nothing was cached there");

    for (hit, parsed, what) in [
        (&listed, &parsed_list, "list (the miss)"),
        (&hit_list, &parsed_list, "list"),
        (&hit_exam, &parsed_exam, "exam"),
        (&hit_drill, &parsed_drill, "drill"),
        (&hit_stats, &parsed_stats, "stats"),
        (&hit_review, &parsed_review, "review"),
    ] {
        assert_eq!(hit.status, 0, "{what}: {}", hit.stderr);
        assert_eq!(hit.stdout, parsed.stdout, "{what}");
        assert_eq!(hit.stderr, parsed.stderr, "{what}");
    }
    let result = hit_exam.json();
    assert_eq!(result["questions"].as_array().unwrap().len(), 5, "{result:#}");
    assert!(!hit_review.json()["questions"].as_array().unwrap().is_empty(), "{}", hit_review.stdout);
}

#[test]
fn an_edited_question_file_is_a_miss_and_the_edit_shows() {
    let test = Test::new();
    let bank = bank_copy(&test);
    let data = test.data_dir();
    fs::create_dir_all(&data).unwrap();
    assert_eq!(run(&data, &bank, &["list"], "").status, 0);
    let entry = the_entry(&data);
    let first = inode(&entry);
    let before = run(&data, &bank, &["exam", "tiny", "--seed", "1"], "quit\n");
    assert!(before.stdout.contains("Which"), "{}", before.stdout);
    assert_eq!(inode(&entry), first);

    // The same size, one letter changed in every stem.
    let questions = bank.join("questions.toml");
    let text = fs::read_to_string(&questions).unwrap();
    let edited = text.replace("Which", "Whick");
    assert_eq!(text.len(), edited.len());
    fs::write(&questions, edited).unwrap();
    let after = run(&data, &bank, &["exam", "tiny", "--seed", "1"], "quit\n");
    assert_eq!(after.status, 0, "{}", after.stderr);
    assert!(after.stdout.contains("Whick") && !after.stdout.contains("Which"), "{}", after.stdout);
    let replaced = the_entry(&data);
    assert_eq!(replaced, entry, "the changed bank replaces its own entry");
    assert_ne!(inode(&replaced), first, "the edit was a miss: the entry was written again");

    // A new question file is part of the key too.
    add_copies(&bank);
    let listed = run(&data, &bank, &["list", "--json"], "");
    assert_eq!(listed.status, 0, "{}", listed.stderr);
    let tiny = listed.json().as_array().unwrap().iter().find(|e| e["id"] == "tiny").unwrap().clone();
    assert_eq!(tiny["questions"], 12, "{tiny:#}");
    assert_eq!(the_entry(&data), entry);
}

#[test]
fn a_damaged_cache_entry_is_ignored_and_written_again() {
    let test = Test::new();
    let bank = bank_copy(&test);
    let data = test.data_dir();
    fs::create_dir_all(&data).unwrap();
    let reference = run(&uncached_data(&test), &bank, EXAM, ANSWERS);
    assert_eq!(reference.status, 0, "{}", reference.stderr);
    assert_eq!(run(&data, &bank, &["list"], "").status, 0);
    let entry = the_entry(&data);
    let good = fs::read(&entry).unwrap();
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 1;
    let mut longer = good.clone();
    longer.extend_from_slice(&[0; 1000]);
    let damaged: [(&str, Vec<u8>); 6] = [
        ("empty", Vec::new()),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("one byte short", good[..good.len() - 1].to_vec()),
        ("a flipped bit", flipped),
        ("longer", longer),
        ("foreign", b"SQLite format 3\0 and other things".to_vec()),
    ];
    for (n, (what, bytes)) in damaged.into_iter().enumerate() {
        // Each in a fresh data folder (the paper depends on the history), the entry damaged.
        let fresh = test.dir.path().join(format!("data-{n}"));
        let damaged_entry = fresh.join("bank-cache").join(entry.file_name().unwrap());
        fs::create_dir_all(damaged_entry.parent().unwrap()).unwrap();
        fs::write(&damaged_entry, &bytes).unwrap();
        let run = run(&fresh, &bank, EXAM, ANSWERS);
        assert_eq!(run.status, 0, "{what}: {}", run.stderr);
        assert_eq!(run.stdout, reference.stdout, "{what}");
        assert_eq!(run.stderr, reference.stderr, "{what}");
        assert_eq!(fs::read(the_entry(&fresh)).unwrap(), good, "{what}: the entry was not written again");
    }
    // A folder named like an entry is not read either.
    fs::remove_file(&entry).unwrap();
    fs::create_dir(&entry).unwrap();
    let listed = run(&data, &bank, &["list", "--json"], "");
    assert_eq!(listed.status, 0, "{}", listed.stderr);
}

#[test]
fn a_data_folder_that_cannot_be_written_still_loads_the_bank() {
    let test = Test::new();
    let bank = bank_copy(&test);
    let reference = run(&uncached_data(&test), &bank, &["list", "--json"], "");
    assert_eq!(reference.status, 0, "{}", reference.stderr);
    assert!(reference.stderr.is_empty(), "{}", reference.stderr);

    // No data folder yet: a listing does not create one.
    let absent = test.dir.path().join("absent");
    let listed = run(&absent, &bank, &["list", "--json"], "");
    assert_eq!((listed.status, &listed.stdout, &listed.stderr), (0, &reference.stdout, &reference.stderr));
    assert!(!absent.exists(), "list created the data folder");

    // Read-only (a read-only mount: permissions do not stop root) and full; both need
    // root to mount a tmpfs, elsewhere a read-only folder by its permissions.
    let mount = |name: &str, options: &str| -> Option<PathBuf> {
        let point = test.dir.path().join(name);
        fs::create_dir_all(&point).unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(&point)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(point)
    };
    let unmount = |point: &Path| {
        let _ = std::process::Command::new("umount").arg(point).status();
    };
    match mount("readonly", "size=1m,ro") {
        Some(point) => {
            let listed = run(&point, &bank, &["list", "--json"], "");
            let exam = run(&point, &bank, &["exam", "tiny", "--seed", "1"], "quit\n");
            unmount(&point);
            assert_eq!(
                (listed.status, &listed.stdout, &listed.stderr),
                (0, &reference.stdout, &reference.stderr)
            );
            // The exam itself needs the store: its error is the store's, not the cache's.
            assert_eq!(exam.status, 2);
            assert!(!exam.stderr.contains("cache"), "{}", exam.stderr);
        }
        None => {
            use std::os::unix::fs::PermissionsExt;
            let data = test.dir.path().join("readonly");
            fs::set_permissions(&data, fs::Permissions::from_mode(0o555)).unwrap();
            let listed = run(&data, &bank, &["list", "--json"], "");
            fs::set_permissions(&data, fs::Permissions::from_mode(0o755)).unwrap();
            assert_eq!(
                (listed.status, &listed.stdout, &listed.stderr),
                (0, &reference.stdout, &reference.stderr)
            );
            assert!(cache_files(&data).is_empty());
        }
    }
    if let Some(point) = mount("full", "size=64k") {
        let _ = fs::write(point.join("filler"), vec![0u8; 64 * 1024]);
        let listed = run(&point, &bank, &["list", "--json"], "");
        let left = cache_files(&point);
        unmount(&point);
        assert_eq!(
            (listed.status, &listed.stdout, &listed.stderr),
            (0, &reference.stdout, &reference.stderr)
        );
        assert!(
            left.iter().all(|f| f.extension().is_none_or(|e| e != "tmp")),
            "a temporary file was left: {left:?}"
        );
    } else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root); the full data folder is not exercised");
    }
}

#[test]
fn check_never_uses_the_cache() {
    let test = Test::new();
    let bank = bank_copy(&test);
    let data = test.data_dir();
    // Warnings only a parse finds; they do not stop the bank from loading (and caching).
    add_copies(&bank);
    let fresh = run(&data, &bank, &["check"], "");
    assert!(cache_files(&data).is_empty(), "check wrote the cache");
    fs::create_dir_all(&data).unwrap();
    assert_eq!(run(&data, &bank, &["list"], "").status, 0);
    the_entry(&data);
    let cached = run(&data, &bank, &["check"], "");
    assert_eq!((cached.status, &cached.stdout, &cached.stderr), (fresh.status, &fresh.stdout, &fresh.stderr));
    assert!(fresh.stdout.contains("6 warning(s) (6 near-duplicate-stem)"), "{}", fresh.stdout);
    // A broken bank whose entry would still be valid for its old content: check reads the
    // files, so it reports the break; the exam does too (its key changed).
    let questions = bank.join("questions.toml");
    let text = fs::read_to_string(&questions).unwrap();
    fs::write(&questions, text.replacen("[[question]]", "[[question]]\nbogus = 1", 1)).unwrap();
    let broken = run(&data, &bank, &["check"], "");
    assert_eq!(broken.status, 1, "{}", broken.stdout);
    assert!(broken.stdout.contains("bogus"), "{}", broken.stdout);
    let exam = run(&data, &bank, &["exam", "tiny", "--seed", "1"], "quit\n");
    assert_eq!(exam.status, 2, "{}", exam.stdout);
    assert!(exam.stderr.contains("bogus"), "{}", exam.stderr);
}

/// A bank big enough that writing its entry takes a while (so writers overlap).
fn medium_bank(root: &Path) -> PathBuf {
    let dir = root.join("bank/medium");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("exam.toml"),
        "format = 1\nid = \"medium\"\ncode = \"MED-01\"\ntitle = \"Medium\"\nvendor = \"Test\"\n\
         level = \"associate\"\nexam_questions = 65\nscored_questions = 50\nminutes = 130\npassing_score = 720\n\
         [status]\nstate = \"active\"\ndate = \"2026-01-01\"\n\
         [[domain]]\nid = \"a\"\nname = \"A\"\nweight = 50\n[[domain]]\nid = \"b\"\nname = \"B\"\nweight = 50\n",
    )
    .unwrap();
    for f in 0..4 {
        let mut text = String::new();
        for n in 0..100 {
            let id = f * 100 + n;
            text.push_str(&format!(
                "[[question]]\nid = \"q-{id:04}\"\ndomain = \"{}\"\nkind = \"multiple-choice\"\n\
                 stem = \"A company runs service {id} and must keep its costs predictable. Which solution meets this?\"\n\
                 explanation = \"Service {id} fits the constraint because it is managed.\"\n\
                 references = [\"https://docs.aws.amazon.com/example/{id}.html\"]\n\n",
                if id % 2 == 0 { "a" } else { "b" },
            ));
            for k in 0..4 {
                text.push_str(&format!(
                    "[[question.option]]\ntext = \"Option {k} of question {id}, a managed service.\"\n\
                     correct = {}\nrationale = \"Option {k} of {id} is {}.\"\n\n",
                    k == 0,
                    if k == 0 { "right" } else { "wrong" }
                ));
            }
        }
        fs::write(dir.join(format!("questions-{f}.toml")), text).unwrap();
    }
    dir
}

#[test]
fn writers_racing_for_one_entry_leave_a_valid_one() {
    let test = Test::new();
    let bank = medium_bank(test.dir.path());
    let data = test.data_dir();
    fs::create_dir_all(&data).unwrap();
    let reference = run(&uncached_data(&test), &bank, &["list", "--json"], "");
    assert_eq!(reference.status, 0, "{}", reference.stderr);
    let spawn = || {
        crate::util::Test::new()
            .args([
                "--bank-dir",
                bank.to_str().unwrap(),
                "--data-dir",
                data.to_str().unwrap(),
                "list",
                "--json",
            ])
            .command()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    for round in 0..3 {
        let children: Vec<_> = (0..4).map(|_| spawn()).collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert_eq!(
                output.status.code(),
                Some(0),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert_eq!(String::from_utf8_lossy(&output.stdout), reference.stdout, "round {round}");
        }
        // One entry, no temporary file left, and it is valid: the next run takes it as it is.
        let entry = the_entry(&data);
        let left = inode(&entry);
        let again = run(&data, &bank, &["list", "--json"], "");
        assert_eq!(again.stdout, reference.stdout);
        assert_eq!(inode(&the_entry(&data)), left, "round {round}: the entry they left was not valid");
        // Start the next round from a miss again.
        fs::remove_file(&entry).unwrap();
    }
}
