//! A deployment's failures as the user reads them: one line per failed resource, and of
//! the many failures a rollback reports, the ones that caused it.

/// One failed resource, as reported to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Logical id of the stack the resource is in (the root stack's name for the root).
    pub stack: String,
    /// Logical id of the resource.
    pub resource: String,
    /// Its type.
    pub resource_type: String,
    /// Its status, e.g. `CREATE_FAILED`.
    pub status: String,
    /// CloudFormation's reason.
    pub reason: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} › {} ({}) {}: {}",
            self.stack, self.resource, self.resource_type, self.status, self.reason
        )
    }
}

/// The failures worth showing: cancellations caused by another failure and stacks that
/// failed only because something inside them did are dropped when a deeper cause exists.
pub fn root_causes(failures: &[Failure]) -> Vec<Failure> {
    let cascade = |f: &Failure| {
        let r = f.reason.to_ascii_lowercase();
        r.contains("cancelled")
            || r.contains("the following resource(s) failed")
            || r.starts_with("embedded stack")
            || r.contains("nested stack")
            || (f.resource_type == "AWS::CloudFormation::Stack" && r.is_empty())
    };
    // A nested stack whose own resources reported the failure adds nothing.
    let explained = |f: &Failure| {
        f.resource_type == "AWS::CloudFormation::Stack"
            && failures.iter().any(|g| g.stack == f.resource)
    };
    let deep: Vec<Failure> = failures
        .iter()
        .filter(|f| !cascade(f) && !explained(f))
        .cloned()
        .collect();
    let mut out = if deep.is_empty() {
        failures.to_vec()
    } else {
        deep
    };
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(stack: &str, resource: &str, kind: &str, reason: &str) -> Failure {
        Failure {
            stack: stack.into(),
            resource: resource.into(),
            resource_type: kind.into(),
            status: "CREATE_FAILED".into(),
            reason: reason.into(),
        }
    }

    #[test]
    fn the_deepest_failure_is_the_root_cause() {
        let events = vec![
            failure("storagePosts", "DynamoDBTable", "AWS::DynamoDB::Table", "Table already exists: Posts-dev"),
            failure("storagePosts", "Other", "AWS::IAM::Role", "Resource creation cancelled"),
            failure("amplify-app-dev-1", "storagePosts", "AWS::CloudFormation::Stack", "Embedded stack arn:… was not successfully created: The following resource(s) failed to create: [DynamoDBTable]."),
            failure("amplify-app-dev-1", "amplify-app-dev-1", "AWS::CloudFormation::Stack", "The following resource(s) failed to update: [storagePosts]."),
        ];
        let causes = root_causes(&events);
        assert_eq!(causes.len(), 1);
        assert_eq!(causes[0].resource, "DynamoDBTable");
        assert_eq!(
            causes[0].to_string(),
            "storagePosts › DynamoDBTable (AWS::DynamoDB::Table) CREATE_FAILED: Table already exists: Posts-dev"
        );
    }

    #[test]
    fn a_nested_stack_repeating_its_resource_is_dropped() {
        let events = vec![
            failure(
                "root",
                "storagePosts",
                "AWS::CloudFormation::Stack",
                "cannot replace PostTable-dev",
            ),
            failure(
                "storagePosts",
                "DynamoDBTable",
                "AWS::DynamoDB::Table",
                "cannot replace PostTable-dev",
            ),
        ];
        let causes = root_causes(&events);
        assert_eq!(causes.len(), 1);
        assert_eq!(causes[0].resource, "DynamoDBTable");
    }

    #[test]
    fn without_a_deeper_cause_the_stack_failure_is_kept() {
        let events = vec![failure(
            "root",
            "apiX",
            "AWS::CloudFormation::Stack",
            "Embedded stack failed",
        )];
        assert_eq!(root_causes(&events), events);
    }
}
