//! The scenarios through the real `diff::compare` (hand-built specs until the loader
//! reads the YAML fixtures): the args the diff writes must match the resolved paths.

mod impact_support;

use apidrift::diff::{self, DiffOptions, Level};
use apidrift::impact::{FieldState, assess};
use apidrift::model::{Api, Type};
use impact_support::{resolved, users_api};

fn verdict(rev: &Api) -> apidrift::impact::Verdict {
    let base = users_api("lastLogin", Type::String);
    let changes = diff::compare(&base, rev, &DiffOptions::default());
    assess(&changes, &resolved(), Some(rev))
}

fn field(v: &apidrift::impact::Verdict, name: &str) -> FieldState {
    v.operations[0]
        .fields
        .iter()
        .find(|f| f.field == name)
        .map(|f| f.state)
        .unwrap_or_else(|| panic!("{name} is consumed"))
}

#[test]
fn renamed_field_through_the_real_diff() {
    let v = verdict(&users_api("lastLoginAt", Type::String));
    assert_eq!(field(&v, "lastLogin"), FieldState::Lost, "{:#?}", v.changes);
    assert_eq!(
        v.operations[0].fields[3].possible_rename.as_deref(),
        Some("lastLoginAt")
    );
    assert_eq!((v.counts.lost, v.counts.at_risk), (1, 0));
    assert!(
        v.changes
            .iter()
            .any(|c| c.consumed && c.change.level == Level::Err)
    );
}

#[test]
fn enum_value_added_and_nullable_through_the_real_diff() {
    let mut rev = users_api("lastLogin", Type::String);
    for s in rev.schemas.iter_mut() {
        if let Some(e) = &mut s.enum_values {
            e.push("DEPROVISIONED".into());
        }
        if s.format.as_deref() == Some("date-time") {
            s.nullable = true;
        }
    }
    let v = verdict(&rev);
    assert_eq!(field(&v, "status"), FieldState::AtRisk, "{:#?}", v.changes);
    assert_eq!(field(&v, "lastLogin"), FieldState::AtRisk);
    assert_eq!((v.counts.lost, v.counts.at_risk, v.visibility), (0, 2, 1.0));
}

#[test]
fn unconsumed_removal_and_page_size_through_the_real_diff() {
    let mut rev = users_api("lastLogin", Type::String);
    for s in rev.schemas.iter_mut() {
        s.properties.shift_remove("nickname");
    }
    let v = verdict(&rev);
    assert_eq!(v.counts.ok, 5, "{:#?}", v.changes);
    assert!(!v.changes.is_empty() && v.changes.iter().all(|c| !c.consumed));

    let mut rev = users_api("lastLogin", Type::String);
    for s in rev.schemas.iter_mut() {
        if s.maximum == Some(200.0) {
            s.maximum = Some(50.0);
        }
    }
    let v = verdict(&rev);
    assert_eq!(v.counts.at_risk, 5, "{:#?}", v.changes);
}
