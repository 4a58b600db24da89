//! The commands called in-process, as a program embedding the library would: options in, a
//! report or an error out, nothing printed.

use cargo_dockerize::Error;
use cargo_dockerize::cli::{AnswerFlags, CheckArgs, InitArgs, OutputArgs};
use cargo_dockerize::ops;
use cargo_dockerize::ui::Ui;

use crate::support::Fixture;

#[test]
fn init_then_check_then_drift_named_in_the_answers_words() {
    let fx = Fixture::new("plain");
    let manifest = fx.file("Cargo.toml");
    let ui = Ui::plain();
    let init = InitArgs {
        yes: true,
        answers: AnswerFlags {
            ports: vec!["plain-tool=9100".into()],
            ..AnswerFlags::default()
        },
        output: OutputArgs {
            no_git: true,
            manifest_path: Some(manifest.clone()),
            ..OutputArgs::default()
        },
        ..InitArgs::default()
    };
    ops::init::run(&init, &ui).expect("init");
    assert!(fx.file("Dockerfile").is_file());

    let check = CheckArgs {
        manifest_path: Some(manifest.clone()),
    };
    ops::check::run(&check, &ui).expect("current right after init");

    let stored = fx.read("Cargo.toml").replace("port = 9100", "port = 9200");
    std::fs::write(&manifest, stored).unwrap();
    match ops::check::run(&check, &ui) {
        Err(Error::Drift(lines)) => assert_eq!(
            lines,
            vec!["port of `plain-tool` changed: 9100 -> 9200".to_string()]
        ),
        other => panic!("expected drift, got {other:?}"),
    }
}
