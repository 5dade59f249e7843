//! Running every rule's own `examples.flag` / `examples.pass` sentences.

use super::RuleSet;

#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub rule: String,
    pub example: String,
    /// `true` for a flag example that raised nothing, `false` for a pass
    /// example that raised a finding.
    pub should_flag: bool,
    pub got: Vec<String>,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.should_flag {
            write!(f, "规则 {}：应当命中却未命中：{}", self.rule, self.example)
        } else {
            write!(
                f,
                "规则 {}：不应命中却命中了（{}）：{}",
                self.rule,
                self.got.join("，"),
                self.example
            )
        }
    }
}

pub fn check(set: &RuleSet) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for rule in set.rules() {
        for text in &rule.examples.flag {
            let found = set.evaluate_rules_text(text);
            if !found
                .iter()
                .any(|f| f.article == rule.article && f.item == rule.item)
            {
                failures.push(ExampleFailure {
                    rule: rule.id.clone(),
                    example: text.clone(),
                    should_flag: true,
                    got: found.iter().map(|f| f.rule.clone()).collect(),
                });
            }
        }
        // A pass example must draw no finding of the rule's own article at
        // warning level or above; other articles may judge it differently.
        for text in &rule.examples.pass {
            let found: Vec<String> = set
                .evaluate_rules_text(text)
                .into_iter()
                .filter(|f| f.level > crate::review::Level::Suggestion && f.article == rule.article)
                .map(|f| f.rule)
                .collect();
            if !found.is_empty() {
                failures.push(ExampleFailure {
                    rule: rule.id.clone(),
                    example: text.clone(),
                    should_flag: false,
                    got: found,
                });
            }
        }
    }
    failures
}
