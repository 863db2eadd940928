//! An organisation's settings: how many days before each kind of deadline it wants to be warned. Alerts carry the
//! day their warning starts (`warn_from`) and whether it has (`due`); the list itself is every deadline ahead, as
//! before, whatever the settings.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::Row;
use verblijf_rules::household::{About, Deadline};

use super::{invalid, now, Actor, Result, Role, Store, StoreError};

/// The longest warning period, in days (two years).
pub const MAX_WARNING_DAYS: i64 = 730;

/// Days of warning before each kind of deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningDays {
    /// The end of a permit of one's own (`permit_end`).
    pub permit_end: i64,
    /// The end of a family member's permit, its own or the sponsor's (`ends_with_sponsor`, `permit_end` of a
    /// family permit).
    pub dependant_permit_end: i64,
    /// The day the extension can first be filed (`extension_window_opens`).
    pub extension_window: i64,
    /// The end of an employment contract (`contract_end`).
    pub contract_end: i64,
    /// The last day to report a change to the IND (`report_change`).
    pub report_change: i64,
    /// The end of an orientation year (`orientation_year_end`).
    pub orientation_year_end: i64,
    /// The 30th birthday of a highly skilled migrant (`thirtieth_birthday`).
    pub thirtieth_birthday: i64,
    /// Three years after graduating (`graduation_window_closes`).
    pub graduation_window: i64,
}

impl Default for WarningDays {
    fn default() -> WarningDays {
        WarningDays {
            // An extension can be filed from three months before the end (`permits.extension_earliest_months`).
            permit_end: 90,
            dependant_permit_end: 90,
            extension_window: 30,
            contract_end: 60,
            report_change: 14,
            orientation_year_end: 90,
            thirtieth_birthday: 90,
            graduation_window: 90,
        }
    }
}

impl WarningDays {
    /// Each setting with its name, in order.
    pub fn named(&self) -> [(&'static str, i64); 8] {
        [
            ("permit_end", self.permit_end),
            ("dependant_permit_end", self.dependant_permit_end),
            ("extension_window", self.extension_window),
            ("contract_end", self.contract_end),
            ("report_change", self.report_change),
            ("orientation_year_end", self.orientation_year_end),
            ("thirtieth_birthday", self.thirtieth_birthday),
            ("graduation_window", self.graduation_window),
        ]
    }

    fn get_mut(&mut self, field: &str) -> Option<&mut i64> {
        Some(match field {
            "permit_end" => &mut self.permit_end,
            "dependant_permit_end" => &mut self.dependant_permit_end,
            "extension_window" => &mut self.extension_window,
            "contract_end" => &mut self.contract_end,
            "report_change" => &mut self.report_change,
            "orientation_year_end" => &mut self.orientation_year_end,
            "thirtieth_birthday" => &mut self.thirtieth_birthday,
            "graduation_window" => &mut self.graduation_window,
            _ => return None,
        })
    }

    /// The days of warning for a deadline.
    pub fn for_deadline(&self, d: &Deadline) -> i64 {
        match (d.kind, d.about) {
            (
                "permit_end",
                About::PermitEnd {
                    permit: verblijf_rules::case::PermitKind::FamilyMember,
                    ..
                },
            )
            | ("ends_with_sponsor", _) => self.dependant_permit_end,
            ("extension_window_opens", _) => self.extension_window,
            ("contract_end", _) => self.contract_end,
            ("report_change", _) => self.report_change,
            ("orientation_year_end", _) => self.orientation_year_end,
            ("thirtieth_birthday", _) => self.thirtieth_birthday,
            ("graduation_window_closes", _) => self.graduation_window,
            _ => self.permit_end,
        }
    }
}

/// An organisation's settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OrganisationSettings {
    pub warning_days: WarningDays,
}

impl OrganisationSettings {
    /// Reads settings from JSON such as `{"warning_days": {"permit_end": 120}}`. A field left out takes its
    /// default; an unknown field, or a number of days that is not a whole number from 0 to 730, is refused with the
    /// field named (`warning_days.permit_end`).
    pub fn from_json(v: &Value) -> Result<OrganisationSettings> {
        let mut s = OrganisationSettings::default();
        let obj = v.as_object().ok_or_else(|| {
            invalid(
                ".",
                "expected an object such as {\"warning_days\": {}}",
                "verwacht een object zoals {\"warning_days\": {}}",
            )
        })?;
        for (k, v) in obj {
            if k != "warning_days" {
                return Err(invalid(
                    k,
                    "unknown setting, expected `warning_days`",
                    "onbekende instelling, verwacht `warning_days`",
                ));
            }
            let days = v.as_object().ok_or_else(|| {
                invalid(
                    "warning_days",
                    "expected an object of days per kind of deadline",
                    "verwacht een object met dagen per soort termijn",
                )
            })?;
            for (name, n) in days {
                let field = format!("warning_days.{name}");
                let slot = s.warning_days.get_mut(name).ok_or_else(|| {
                    invalid(
                        &field,
                        format!(
                            "unknown kind of deadline, expected one of {}",
                            WarningDays::default().named().map(|(n, _)| n).join(", ")
                        ),
                        format!(
                            "onbekende soort termijn, verwacht een van {}",
                            WarningDays::default().named().map(|(n, _)| n).join(", ")
                        ),
                    )
                })?;
                *slot = n
                    .as_i64()
                    .filter(|d| (0..=MAX_WARNING_DAYS).contains(d))
                    .ok_or_else(|| {
                        invalid(&field, format!(
                                "expected a whole number of days from 0 to {MAX_WARNING_DAYS}, found {n}"
                            ), format!(
                                "verwacht een heel aantal dagen van 0 tot en met {MAX_WARNING_DAYS}, gevonden {n}"
                            ))
                    })?;
            }
        }
        Ok(s)
    }

    fn validate(&self) -> Result<()> {
        for (f, d) in self.warning_days.named() {
            if !(0..=MAX_WARNING_DAYS).contains(&d) {
                return Err(invalid(
                    &format!("warning_days.{f}"),
                    format!(
                        "expected a whole number of days from 0 to {MAX_WARNING_DAYS}, found {d}"
                    ),
                    format!(
                        "verwacht een heel aantal dagen van 0 tot en met {MAX_WARNING_DAYS}, gevonden {d}"
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn owner_only(actor: &Actor) -> Result<()> {
    if actor.role != Role::Owner {
        return Err(StoreError::Forbidden(
            "only an owner changes the organisation's settings".into(),
        ));
    }
    Ok(())
}

impl Store {
    /// The organisation's settings (any role); the defaults until an owner changes them.
    pub async fn settings(&self, actor: &Actor) -> Result<OrganisationSettings> {
        let row = sqlx::query("SELECT warn_permit_end_days, warn_dependant_permit_end_days, warn_extension_window_days, warn_contract_end_days, warn_report_change_days, warn_orientation_year_end_days, warn_thirtieth_birthday_days, warn_graduation_window_days FROM organisation_settings WHERE organisation_id = $1")
            .bind(&actor.organisation_id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(r) = row else {
            return Ok(OrganisationSettings::default());
        };
        Ok(OrganisationSettings {
            warning_days: WarningDays {
                permit_end: r.try_get("warn_permit_end_days")?,
                dependant_permit_end: r.try_get("warn_dependant_permit_end_days")?,
                extension_window: r.try_get("warn_extension_window_days")?,
                contract_end: r.try_get("warn_contract_end_days")?,
                report_change: r.try_get("warn_report_change_days")?,
                orientation_year_end: r.try_get("warn_orientation_year_end_days")?,
                thirtieth_birthday: r.try_get("warn_thirtieth_birthday_days")?,
                graduation_window: r.try_get("warn_graduation_window_days")?,
            },
        })
    }

    /// Replaces the organisation's settings from JSON (owners only; see [`OrganisationSettings::from_json`]). The
    /// role is checked before the body, so a user who may not change settings learns only that.
    pub async fn update_settings_json(
        &self,
        actor: &Actor,
        v: &Value,
    ) -> Result<OrganisationSettings> {
        owner_only(actor)?;
        self.update_settings(actor, OrganisationSettings::from_json(v)?)
            .await
    }

    /// Replaces the organisation's settings (owners only).
    pub async fn update_settings(
        &self,
        actor: &Actor,
        settings: OrganisationSettings,
    ) -> Result<OrganisationSettings> {
        owner_only(actor)?;
        settings.validate()?;
        let before = self.settings(actor).await?;
        let w = settings.warning_days;
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO organisation_settings (organisation_id, warn_permit_end_days, warn_dependant_permit_end_days, warn_extension_window_days, warn_contract_end_days, warn_report_change_days, warn_orientation_year_end_days, warn_thirtieth_birthday_days, warn_graduation_window_days, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (organisation_id) DO UPDATE SET warn_permit_end_days = excluded.warn_permit_end_days, warn_dependant_permit_end_days = excluded.warn_dependant_permit_end_days, warn_extension_window_days = excluded.warn_extension_window_days, warn_contract_end_days = excluded.warn_contract_end_days, warn_report_change_days = excluded.warn_report_change_days, warn_orientation_year_end_days = excluded.warn_orientation_year_end_days, warn_thirtieth_birthday_days = excluded.warn_thirtieth_birthday_days, warn_graduation_window_days = excluded.warn_graduation_window_days, updated_at = excluded.updated_at")
            .bind(&actor.organisation_id)
            .bind(w.permit_end)
            .bind(w.dependant_permit_end)
            .bind(w.extension_window)
            .bind(w.contract_end)
            .bind(w.report_change)
            .bind(w.orientation_year_end)
            .bind(w.thirtieth_birthday)
            .bind(w.graduation_window)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "update",
            "settings",
            &actor.organisation_id,
            Some(&json!(before)),
            Some(&json!(settings)),
        )
        .await?;
        tx.commit().await?;
        Ok(settings)
    }
}
