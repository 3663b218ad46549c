//! `keepopen-pre-commit`: the `keepopen` command line, as the binary that
//! pre-commit's `language: rust` hooks install from the root package.

fn main() -> std::process::ExitCode {
    keepopen::main()
}
