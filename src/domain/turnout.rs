//! Turnout on voting day (issue 15): what a TPS reports during the day (the voters who voted
//! from each list, men and women), the check against the TPS's official counts, where an
//! election stands against its voting day, and the day's figures summed over TPS. Pure.

use time::Date;

use crate::domain::ballots::Counts;
use crate::domain::format;

/// A TPS's turnout report: voters who voted from the DPT, DPTb and DPK, and by sex.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Turnout {
    pub dpt: i64,
    pub dptb: i64,
    pub dpk: i64,
    pub men: i64,
    pub women: i64,
}

impl From<[i64; 5]> for Turnout {
    /// The figures in [`Field::ALL`]'s order.
    fn from([dpt, dptb, dpk, men, women]: [i64; 5]) -> Turnout {
        Turnout {
            dpt,
            dptb,
            dpk,
            men,
            women,
        }
    }
}

/// A figure of a turnout report, as the import file's column names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Dpt,
    Dptb,
    Dpk,
    Men,
    Women,
}

impl Field {
    pub const ALL: [Field; 5] = [
        Field::Dpt,
        Field::Dptb,
        Field::Dpk,
        Field::Men,
        Field::Women,
    ];

    /// The column of `loksus turnout import` / `export turnout`.
    pub fn column(self) -> &'static str {
        match self {
            Field::Dpt => "voted_dpt",
            Field::Dptb => "voted_dptb",
            Field::Dpk => "voted_dpk",
            Field::Men => "voted_men",
            Field::Women => "voted_women",
        }
    }

    /// How a page names it.
    pub fn label(self) -> &'static str {
        match self {
            Field::Dpt => "Memilih dari DPT",
            Field::Dptb => "Memilih dari DPTb",
            Field::Dpk => "Memilih dari DPK",
            Field::Men => "Laki-laki",
            Field::Women => "Perempuan",
        }
    }
}

/// Why a report cannot be taken, naming the figure it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: Field,
    pub message: String,
}

impl Turnout {
    /// Everyone who voted: DPT + DPTb + DPK.
    pub fn total(&self) -> i64 {
        self.dpt + self.dptb + self.dpk
    }

    pub fn get(&self, f: Field) -> i64 {
        match f {
            Field::Dpt => self.dpt,
            Field::Dptb => self.dptb,
            Field::Dpk => self.dpk,
            Field::Men => self.men,
            Field::Women => self.women,
        }
    }

    /// What stops this report for a TPS with these `official` counts: a list's voters who
    /// voted above that list's official count, and men + women other than the total.
    pub fn problems(&self, official: Counts) -> Vec<Problem> {
        let n = format::number;
        let mut out = Vec::new();
        for (field, list, voted, count) in [
            (Field::Dpt, "DPT", self.dpt, official.dpt),
            (Field::Dptb, "DPTb", self.dptb, official.dptb),
            (Field::Dpk, "DPK", self.dpk, official.dpk),
        ] {
            if voted > count {
                out.push(Problem {
                    field,
                    message: format!(
                        "Pemilih {list} yang memilih ({}) melebihi {list} resmi TPS ini ({}).",
                        n(voted),
                        n(count)
                    ),
                });
            }
        }
        if self.men + self.women != self.total() {
            out.push(Problem {
                field: Field::Men,
                message: format!(
                    "Laki-laki ({}) + perempuan ({}) = {}, tidak sama dengan jumlah yang \
                     memilih (DPT + DPTb + DPK = {}).",
                    n(self.men),
                    n(self.women),
                    n(self.men + self.women),
                    n(self.total())
                ),
            });
        }
        out
    }
}

/// Where an election stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Before,
    VotingDay,
    After,
}

impl Phase {
    pub fn of(voting_day: Date, today: Date) -> Phase {
        match today.cmp(&voting_day) {
            std::cmp::Ordering::Less => Phase::Before,
            std::cmp::Ordering::Equal => Phase::VotingDay,
            std::cmp::Ordering::Greater => Phase::After,
        }
    }
}

/// The day's figures of a TPS list, a facility, a province or the country.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayFigures {
    pub facilities: i64,
    pub stations: i64,
    /// DPT + DPTb + DPK, the official counts of the TPS.
    pub with_vote: i64,
    /// TPS with a turnout report, and what the latest reports sum to.
    pub stations_reported: i64,
    pub voted: i64,
    pub men: i64,
    pub women: i64,
    /// TPS whose ballot accounting is recorded and does not balance.
    pub stations_unbalanced: i64,
    /// Incidents not closed (open or being handled).
    pub incidents_open: i64,
}

impl DayFigures {
    pub fn add(&mut self, o: &DayFigures) {
        self.facilities += o.facilities;
        self.stations += o.stations;
        self.with_vote += o.with_vote;
        self.stations_reported += o.stations_reported;
        self.voted += o.voted;
        self.men += o.men;
        self.women += o.women;
        self.stations_unbalanced += o.stations_unbalanced;
        self.incidents_open += o.incidents_open;
    }

    pub fn sum<'a>(all: impl IntoIterator<Item = &'a DayFigures>) -> DayFigures {
        let mut total = DayFigures::default();
        for f in all {
            total.add(f);
        }
        total
    }

    /// Whether any TPS has reported anything or any incident is open.
    pub fn any_report(&self) -> bool {
        self.stations_reported > 0 || self.stations_unbalanced > 0 || self.incidents_open > 0
    }

    pub fn view(&self) -> DayView {
        let n = format::number;
        DayView {
            voted: n(self.voted),
            with_vote: n(self.with_vote),
            percent: format::percent(self.voted, self.with_vote),
            reported: format!("{} dari {}", n(self.stations_reported), n(self.stations)),
            all_reported: self.stations_reported == self.stations,
            men: n(self.men),
            women: n(self.women),
            unbalanced: self.stations_unbalanced,
            incidents_open: self.incidents_open,
        }
    }
}

/// [`DayFigures`] written for a page.
#[derive(Debug, Clone)]
pub struct DayView {
    pub voted: String,
    pub with_vote: String,
    pub percent: String,
    /// "3 dari 4" TPS reporting.
    pub reported: String,
    pub all_reported: bool,
    pub men: String,
    pub women: String,
    pub unbalanced: i64,
    pub incidents_open: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TPS: Counts = Counts {
        dpt: 300,
        dptb: 40,
        dpk: 10,
    };

    #[test]
    fn a_report_within_the_lists_whose_sexes_add_up_is_taken() {
        let t = Turnout {
            dpt: 280,
            dptb: 40,
            dpk: 3,
            men: 300,
            women: 23,
        };
        assert_eq!(t.total(), 323);
        assert!(t.problems(TPS).is_empty());
    }

    #[test]
    fn a_figure_above_its_list_names_the_list_and_its_official_count() {
        let t = Turnout {
            dpt: 301,
            dptb: 41,
            dpk: 0,
            men: 342,
            women: 0,
        };
        let p = t.problems(TPS);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].field, Field::Dpt);
        assert_eq!(
            p[0].message,
            "Pemilih DPT yang memilih (301) melebihi DPT resmi TPS ini (300)."
        );
        assert_eq!(p[1].field, Field::Dptb);
    }

    #[test]
    fn men_and_women_must_make_the_total() {
        let t = Turnout {
            dpt: 100,
            dptb: 0,
            dpk: 0,
            men: 60,
            women: 39,
        };
        let p = t.problems(TPS);
        assert_eq!(p.len(), 1);
        assert!(
            p[0].message.contains("= 99, tidak sama"),
            "{}",
            p[0].message
        );
    }

    #[test]
    fn the_phase_follows_the_voting_day() {
        let day = date!(2024 - 02 - 14);
        assert_eq!(Phase::of(day, date!(2024 - 02 - 13)), Phase::Before);
        assert_eq!(Phase::of(day, day), Phase::VotingDay);
        assert_eq!(Phase::of(day, date!(2024 - 02 - 15)), Phase::After);
    }

    #[test]
    fn the_day_view_counts_reporting_tps_and_the_share_that_voted() {
        let f = DayFigures {
            stations: 4,
            with_vote: 1_200,
            stations_reported: 3,
            voted: 1_003,
            ..DayFigures::default()
        };
        let v = f.view();
        assert_eq!(v.reported, "3 dari 4");
        assert_eq!(v.percent, "84%");
        assert_eq!(v.voted, "1.003");
        assert!(!v.all_reported);
    }
}
