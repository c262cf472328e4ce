//! CSV batch input: planning a dry run never panics, lines increase, and every
//! planned row's identifier validates again.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sectigo_revoke::batch::{Batch, Input, InputFormat, PlanOptions, RowStatus};
use sectigo_revoke::CertificateIdentifier;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("input.csv");
    std::fs::write(&path, data).expect("the input file is written");
    let Ok(batch) = Batch::dry_run(Input::file(&path).format(InputFormat::Csv), &PlanOptions::new()) else {
        return;
    };

    let mut previous_line = 0;
    batch
        .for_each_row(|row| {
            assert!(row.line > previous_line, "line {} after line {previous_line}", row.line);
            previous_line = row.line;
            if row.status == RowStatus::Planned {
                let identifier = row.identifier.as_deref().expect("a planned row has an identifier");
                let (name, value) = identifier.split_once('=').expect("the identifier is name=value");
                let parsed = match name {
                    "orderNumber" => CertificateIdentifier::parse_order_number(value),
                    "certificateID" => CertificateIdentifier::parse_certificate_id(value),
                    _ => CertificateIdentifier::parse_serial_number(value),
                };
                assert_eq!(parsed.expect("a planned identifier validates").to_string(), identifier);
            }
        })
        .expect("the plan can be read");
});
