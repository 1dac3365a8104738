fn main() {
    std::process::exit(proctor::run(std::env::args_os()));
}
