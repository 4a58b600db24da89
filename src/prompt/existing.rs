//! Questions about files that were there before cargo-dockerize: adopt, replace or skip, one per file.

use dialoguer::{Select, theme::ColorfulTheme};

use super::{interrupt, interrupted};
use crate::error::Result;
use crate::existing::Choice;

/// One question: the file, the choices offered with a line on each, the default's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub prompt: String,
    pub choices: Vec<(Choice, String)>,
    pub default: usize,
}

/// Asks each question in turn; returns the choices in the same order.
pub fn existing(questions: &[Question]) -> Result<Vec<Choice>> {
    if questions.is_empty() {
        return Ok(Vec::new());
    }
    let _asking = interrupt::Asking::start();
    let theme = ColorfulTheme::default();
    let mut out = Vec::new();
    for question in questions {
        let index = Select::with_theme(&theme)
            .with_prompt(&question.prompt)
            .items(question.choices.iter().map(|(_, text)| text))
            .default(question.default)
            .interact()
            .map_err(interrupted)?;
        out.push(question.choices[index].0);
    }
    Ok(out)
}
