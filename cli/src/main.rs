//! `redress-cli`: the journal's operations from a terminal, for scripts, benchmarks and counsel.
//! The passphrase comes from the terminal (never echoed) or from `--passphrase-file`; errors are one line on
//! stderr and a non-zero exit code. Nothing here logs content: output is what the command was asked to show.
//! This file only dispatches: the flags are in `args`, each command group's work in `cmd/`.

mod args;
mod cmd;
mod output;
mod passphrase;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::cmd::{bundle, ccf, evidence, records, scan, vault, CliResult};

fn main() -> ExitCode {
    // Started as the isolated reader of an untrusted file? Then that is all this process does (it inherited a core
    // limit of 0 from the CLI that started it, and sets up its own sandbox).
    redress_core::pdf::isolate::serve_if_requested();
    // Before any passphrase is read: no core file (a limit the worker inherits) and no ptrace.
    redress_core::process::harden_process();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("redress-cli: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> CliResult {
    let g = &cli.global;
    match cli.command {
        Command::Init => vault::init(g),
        Command::Demo => vault::demo(g),
        Command::Verify(a) => vault::verify(g, a),
        Command::Backup(a) => vault::backup(g, a),
        Command::Restore(a) => vault::restore(g, a),
        Command::Passwd(a) => vault::passwd(g, a),
        Command::Rekey(a) => vault::rekey(g, a),
        Command::UnlockWithRecovery(a) => vault::unlock_with_recovery(g, a),
        Command::Import(a) => evidence::import(g, a),
        Command::List(a) => evidence::list(g, a),
        Command::Show(a) => evidence::show(g, a),
        Command::Edit(a) => evidence::edit(g, a),
        Command::Export(a) => evidence::export(g, a),
        Command::Search(a) => records::search(g, a),
        Command::Ocr(a) => scan::ocr(g, a),
        Command::Text(a) => scan::text(g, a),
        Command::Translation(c) => scan::translation(g, c),
        Command::Trash(a) => records::trash(g, a),
        Command::Untrash(a) => records::untrash(g, a),
        Command::Purge(a) => records::purge(g, a),
        Command::History(a) => records::history(g, a),
        Command::Event(c) => records::event(g, c),
        Command::Contact(c) => records::contact(g, c),
        Command::Deadline(c) => records::deadline(g, c),
        Command::Profile(c) => records::profile(g, c),
        Command::Request(c) => ccf::request(g, c),
        Command::Draft(a) => ccf::draft(g, a),
        Command::Checklist(a) => ccf::checklist(g, a),
        Command::Deadlines(a) => ccf::deadlines(g, a),
        Command::Rule(a) => ccf::rule(a),
        Command::Bundle(a) => bundle::bundle(g, a),
        Command::Disclosures(a) => bundle::disclosures(g, a),
    }
}
