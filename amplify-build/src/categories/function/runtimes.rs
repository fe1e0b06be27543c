//! Lambda runtimes amplify-rs deploys to, with the dates AWS deprecates them.
//!
//! A declaration naming a runtime deprecated on the build's date is an error: Lambda
//! soon refuses to create or update such functions, and cfn-lint warns about them
//! (W2531). The date is today's, or `SOURCE_DATE_EPOCH` when set (reproducible builds).

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

/// Why `version` of a runtime family cannot be used on `today`, if it cannot.
pub(super) fn problem(
    family: &str,
    table: &[Lifecycle],
    version: &str,
    today: &str,
) -> Option<String> {
    let supported: Vec<&str> = table
        .iter()
        .filter(|l| l.deprecated > today)
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
        Some(l) if l.deprecated <= today => Some(format!(
            "{family} {version} was deprecated by AWS Lambda on {}; {fix}",
            l.deprecated
        )),
        Some(_) => None,
        None => Some(format!("{family} {version} is not a Lambda runtime; {fix}")),
    }
}

/// The build's date as `YYYY-MM-DD`: `SOURCE_DATE_EPOCH` if set, else the clock.
pub(super) fn today() -> String {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or_else(time::OffsetDateTime::now_utc);
    date(now)
}

fn date(at: time::OffsetDateTime) -> String {
    const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] =
        time::macros::format_description!("[year]-[month]-[day]");
    at.format(FORMAT).expect("a date formats")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_timestamps() {
        let at = |s| date(time::OffsetDateTime::from_unix_timestamp(s).unwrap());
        assert_eq!(at(0), "1970-01-01");
        assert_eq!(at(951_782_400), "2000-02-29");
        assert_eq!(at(1_796_281_200), "2026-12-03");
    }

    #[test]
    fn a_runtime_is_refused_from_its_deprecation_day() {
        assert_eq!(problem("Node.js", NODE, "20", "2026-04-29"), None);
        let refused = problem("Node.js", NODE, "20", "2026-04-30").unwrap();
        assert!(
            refused.starts_with(
                "Node.js 20 was deprecated by AWS Lambda on 2026-04-30; use one of 22, 24"
            ),
            "{refused}"
        );
        let unknown = problem("Python", PYTHON, "2.7", "2026-12-03").unwrap();
        assert!(
            unknown.contains("is not a Lambda runtime; use one of 3.11, 3.12, 3.13, 3.14"),
            "{unknown}"
        );
    }
}
