//! The console's card designer (`/console/card`) as a form: the brand's two colours, the
//! picture inside each stamp, how the pages address customers, and (when the card collects
//! stamps) how many stamps fill it and what a full card gives. The parser lays the typed fields
//! over the branding and program in force and hands them to the API's own checks, naming the
//! form field each problem belongs to; the logo is kept, replaced or removed by the caller.

use super::language::Language;
use super::program::{Branding, BrandingDraft, Program, ProgramDraft, StampIcon, Tone};
use super::setup::{named, redraft, whole, FieldError, Problem};

/// The designer's fields as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardForm {
    pub primary: String,
    pub accent: String,
    pub stamp_icon: String,
    pub tone: String,
    pub card_size: String,
    pub card_reward: String,
}

/// The names of the designer's fields (besides the logo file and its removal).
pub const FIELDS: [&str; 6] = [
    "primary",
    "accent",
    "stamp_icon",
    "tone",
    "card_size",
    "card_reward",
];

/// A form that passed: the branding to store and, when the stamp card changed, the program.
#[derive(Debug, Clone)]
pub struct Checked {
    pub branding: Branding,
    pub program: Option<ProgramDraft>,
}

/// Tells whether customers of `program` collect stamps.
pub fn uses_stamps(program: &Program) -> bool {
    program.stamps_per_visit > 0 || program.stamps_per_purchase > 0
}

impl CardForm {
    /// The form for the branding and program in force (the default reward in `l`).
    pub fn of(l: Language, b: &Branding, p: &Program) -> CardForm {
        let reward = if p.card_reward == Program::default().card_reward {
            l.pick("a free coffee", "darmowa kawa").to_owned()
        } else {
            p.card_reward.clone()
        };
        CardForm {
            primary: b.primary_color.clone(),
            accent: b.accent_color.clone(),
            stamp_icon: b.stamp_icon.as_str().into(),
            tone: b.tone.as_str().into(),
            card_size: p.stamp_card_size.to_string(),
            card_reward: reward,
        }
    }

    /// Checks the form over `current` with the logo `logo` (kept, new or none).
    pub fn parse(
        &self,
        current: &Branding,
        program: &Program,
        logo: Option<String>,
    ) -> Result<Checked, Vec<FieldError>> {
        let mut errors = Vec::new();
        let icon = StampIcon::parse(&self.stamp_icon).unwrap_or_else(|| {
            errors.push(FieldError {
                field: "stamp_icon",
                problem: Problem::UnknownChoice,
            });
            current.stamp_icon
        });
        let tone = Tone::parse(&self.tone).unwrap_or_else(|| {
            errors.push(FieldError {
                field: "tone",
                problem: Problem::UnknownChoice,
            });
            current.tone
        });
        let draft = |primary: &str, accent: &str, logo: Option<String>| BrandingDraft {
            primary_color: primary.trim().to_owned(),
            accent_color: accent.trim().to_owned(),
            logo_url: logo,
            tone,
            stamp_icon: icon,
        };
        // Each colour on its own, so both can be named at once.
        for (field, p, a) in [
            (
                "primary",
                self.primary.as_str(),
                current.accent_color.as_str(),
            ),
            (
                "accent",
                current.primary_color.as_str(),
                self.accent.as_str(),
            ),
        ] {
            if let Err(e) = Branding::try_from(draft(p, a, None)) {
                errors.push(named(field, &e));
            }
        }
        let program = if uses_stamps(program) {
            self.stamp_card(program, &mut errors)
        } else {
            None
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let branding = Branding::try_from(draft(&self.primary, &self.accent, logo))
            .map_err(|e| vec![named("logo", &e)])?;
        Ok(Checked { branding, program })
    }

    /// The program with the typed stamp card, or `None` when it is as stored.
    fn stamp_card(&self, program: &Program, errors: &mut Vec<FieldError>) -> Option<ProgramDraft> {
        let size = whole("card_size", &self.card_size)
            .map_err(|e| errors.push(e))
            .ok()?;
        let reward = self.card_reward.trim();
        if reward.is_empty() {
            errors.push(FieldError {
                field: "card_reward",
                problem: Problem::Missing,
            });
            return None;
        }
        // The default reward shown in the person's language is not a change.
        let unchanged_reward = reward == program.card_reward
            || (program.card_reward == Program::default().card_reward
                && [Language::En, Language::Pl]
                    .iter()
                    .any(|l| reward == l.pick("a free coffee", "darmowa kawa")));
        if size == program.stamp_card_size && unchanged_reward {
            return None;
        }
        match redraft(
            program,
            vec![
                ("stamp_card_size", size.into()),
                ("card_reward", reward.into()),
            ],
            &[
                ("stamp_card_size", "card_size"),
                ("card_reward", "card_reward"),
            ],
            "card_size",
        ) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.extend(e);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamps() -> Program {
        Program::default()
    }

    fn points() -> Program {
        Program {
            stamps_per_visit: 0,
            stamps_per_purchase: 0,
            ..Program::default()
        }
    }

    fn typed() -> CardForm {
        CardForm::of(Language::En, &Branding::default(), &stamps())
    }

    #[test]
    fn the_form_of_what_is_stored_parses_to_it_with_no_program_change() {
        for l in [Language::En, Language::Pl] {
            let form = CardForm::of(l, &Branding::default(), &stamps());
            let c = form
                .parse(&Branding::default(), &stamps(), None)
                .expect("stored values pass");
            assert_eq!(c.branding, Branding::default());
            assert!(c.program.is_none(), "{l:?}");
        }
    }

    #[test]
    fn colours_icon_tone_and_logo_are_laid_over_the_branding() {
        let form = CardForm {
            primary: " #0B3D2E ".into(),
            accent: "#ffd166".into(),
            stamp_icon: "cup".into(),
            tone: "formal".into(),
            ..typed()
        };
        let c = form
            .parse(&Branding::default(), &stamps(), Some("/files/x.png".into()))
            .map(|c| c.branding);
        // The logo path is not one of ours: refused on the logo, not saved.
        assert!(c.is_err());
        let b = form
            .parse(&Branding::default(), &stamps(), None)
            .expect("valid")
            .branding;
        assert_eq!(b.primary_color, "#0b3d2e");
        assert_eq!(b.accent_color, "#ffd166");
        assert_eq!(b.stamp_icon, StampIcon::Cup);
        assert_eq!(b.tone, Tone::Formal);
        assert_eq!(b.logo_url, None);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let form = CardForm {
            primary: "red".into(),
            accent: "#12345".into(),
            stamp_icon: "skull".into(),
            tone: "rude".into(),
            card_size: "0".into(),
            card_reward: "x".into(),
        };
        let errors = form
            .parse(&Branding::default(), &stamps(), None)
            .expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["stamp_icon", "tone", "primary", "accent", "card_size"]
        );
        assert_eq!(errors[4].problem, Problem::OutOfRange(1, 50));
        let missing = CardForm {
            card_size: "".into(),
            card_reward: " ".into(),
            ..typed()
        };
        let errors = missing
            .parse(&Branding::default(), &stamps(), None)
            .expect_err("refused");
        assert_eq!(errors[0].field, "card_size");
        assert_eq!(errors[0].problem, Problem::Missing);
        let long = CardForm {
            card_reward: "k".repeat(61),
            ..typed()
        };
        let errors = long
            .parse(&Branding::default(), &stamps(), None)
            .expect_err("refused");
        assert_eq!(errors[0].field, "card_reward");
        assert_eq!(errors[0].problem, Problem::Text(60));
    }

    #[test]
    fn a_new_card_size_or_reward_is_a_new_program() {
        let form = CardForm {
            card_size: "10".into(),
            card_reward: "a cinnamon bun".into(),
            ..typed()
        };
        let draft = form
            .parse(&Branding::default(), &stamps(), None)
            .expect("valid")
            .program
            .expect("changed");
        let p = Program::try_from(draft).expect("valid");
        assert_eq!(p.stamp_card_size, 10);
        assert_eq!(p.card_reward, "a cinnamon bun");
        assert_eq!(p.stamps_per_visit, 1, "the rest of the program is kept");
    }

    #[test]
    fn a_points_card_ignores_the_stamp_fields() {
        let form = CardForm {
            card_size: "nonsense".into(),
            ..typed()
        };
        let c = form
            .parse(&Branding::default(), &points(), None)
            .expect("stamp fields are not used");
        assert!(c.program.is_none());
    }
}
