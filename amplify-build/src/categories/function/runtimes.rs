//! Lambda runtimes amplify-rs deploys to, with the dates AWS deprecates them.
//!
//! A declaration naming a runtime deprecated on the build's date is an error: Lambda
//! soon refuses to create or update such functions, and cfn-lint warns about them
//! (W2531). The date is an input: the build script's ([`crate::Config::build_date`]:
//! `SOURCE_DATE_EPOCH` when set, else the day it runs); the macro has none. A function
//! naming no version gets the newest in the table, whatever the date, so the same
//! declaration always synthesises the same template.

/// One runtime and the day AWS deprecates it (`YYYY-MM-DD`, AWS's published schedule).
pub(super) struct Lifecycle {
    /// The version as declared: `22` for Node.js, `3.12` for Python.
    pub version: &'static str,
    /// When AWS deprecates it.
    pub deprecated: &'static str,
}

/// Node.js versions, oldest first.
pub(super) const NODE: &[Lifecycle] = &[
    Lifecycle {
        version: "18",
        deprecated: "2025-09-01",
    },
    Lifecycle {
        version: "20",
        deprecated: "2026-04-30",
    },
    Lifecycle {
        version: "22",
        deprecated: "2027-04-30",
    },
    Lifecycle {
        version: "24",
        deprecated: "2028-04-30",
    },
];

/// Python versions, oldest first.
pub(super) const PYTHON: &[Lifecycle] = &[
    Lifecycle {
        version: "3.9",
        deprecated: "2025-12-15",
    },
    Lifecycle {
        version: "3.10",
        deprecated: "2026-10-31",
    },
    Lifecycle {
        version: "3.11",
        deprecated: "2027-06-30",
    },
    Lifecycle {
        version: "3.12",
        deprecated: "2028-10-31",
    },
    Lifecycle {
        version: "3.13",
        deprecated: "2029-06-30",
    },
    Lifecycle {
        version: "3.14",
        deprecated: "2029-06-30",
    },
];

/// The newest version of a runtime family: the default.
pub(super) fn newest(table: &[Lifecycle]) -> &'static str {
    table.last().expect("runtime tables are not empty").version
}

/// Why `version` of a runtime family cannot be used on `today` (any day when `None`:
/// only an unknown version is refused then), if it cannot.
pub(super) fn problem(
    family: &str,
    table: &[Lifecycle],
    version: &str,
    today: Option<&str>,
) -> Option<String> {
    let deprecated = |l: &Lifecycle| today.is_some_and(|t| l.deprecated <= t);
    let supported: Vec<&str> = table
        .iter()
        .filter(|l| !deprecated(l))
        .map(|l| l.version)
        .collect();
    let fix = match supported.last() {
        Some(newest) => format!(
            "use one of {} ({newest} is the newest)",
            supported.join(", ")
        ),
        None => "no version of it is supported any more".to_owned(),
    };
    match table.iter().find(|l| l.version == version) {
        Some(l) if deprecated(l) => Some(format!(
            "{family} {version} was deprecated by AWS Lambda on {}; {fix}",
            l.deprecated
        )),
        Some(_) => None,
        None => Some(format!("{family} {version} is not a Lambda runtime; {fix}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_runtime_is_refused_from_its_deprecation_day() {
        assert_eq!(problem("Node.js", NODE, "20", Some("2026-04-29")), None);
        let refused = problem("Node.js", NODE, "20", Some("2026-04-30")).unwrap();
        assert!(
            refused.starts_with(
                "Node.js 20 was deprecated by AWS Lambda on 2026-04-30; use one of 22, 24"
            ),
            "{refused}"
        );
        let unknown = problem("Python", PYTHON, "2.7", Some("2026-12-03")).unwrap();
        assert!(
            unknown.contains("is not a Lambda runtime; use one of 3.11, 3.12, 3.13, 3.14"),
            "{unknown}"
        );
    }

    #[test]
    fn without_a_date_only_unknown_versions_are_refused() {
        assert_eq!(problem("Node.js", NODE, "18", None), None);
        assert!(problem("Node.js", NODE, "19", None).is_some());
    }

    #[test]
    fn the_default_is_never_refused_before_its_own_deprecation() {
        for (family, table) in [("Node.js", NODE), ("Python", PYTHON)] {
            let default = newest(table);
            let own = table.last().unwrap().deprecated;
            for day in table.iter().map(|l| l.deprecated).filter(|d| *d < own) {
                assert_eq!(
                    problem(family, table, default, Some(day)),
                    None,
                    "{family} on {day}"
                );
            }
            assert!(
                table.iter().all(|l| l.deprecated <= own),
                "{family}: the newest version is deprecated last"
            );
        }
    }
}
