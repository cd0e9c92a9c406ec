//! The figures every overview shows (facilities, TPS, inmates, DPT/DPTb/DPK, readiness,
//! ballots, what the roll says) and their Indonesian display form. Pure values: the SQL that
//! fills them lives in `read::figures` and with each page.

use crate::domain::format;

/// A facility's figures, or the sum over several (a province, the country, a TPS list).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub facilities: i64,
    /// The roll's active inmates when a roll is loaded, else the facility's recorded number.
    pub inmates: i64,
    pub stations: i64,
    pub stations_ready: i64,
    pub dpt: i64,
    pub dptb: i64,
    pub dpk: i64,
    pub shortage_stations: i64,
    pub shortage_ballots: i64,
    pub roll_voters: i64,
    pub roll_eligible: i64,
    pub roll_under_age: i64,
    pub roll_rights_revoked: i64,
    pub roll_released: i64,
    pub roll_no_valid_nik: i64,
    pub roll_unregistered: i64,
    pub roll_unregistered_detainees: i64,
}

impl Figures {
    /// Voters on any list (DPT + DPTb + DPK): "with the vote" in press figures.
    pub fn with_vote(&self) -> i64 {
        self.dpt + self.dptb + self.dpk
    }

    pub fn add(&mut self, o: &Figures) {
        self.facilities += o.facilities;
        self.inmates += o.inmates;
        self.stations += o.stations;
        self.stations_ready += o.stations_ready;
        self.dpt += o.dpt;
        self.dptb += o.dptb;
        self.dpk += o.dpk;
        self.shortage_stations += o.shortage_stations;
        self.shortage_ballots += o.shortage_ballots;
        self.roll_voters += o.roll_voters;
        self.roll_eligible += o.roll_eligible;
        self.roll_under_age += o.roll_under_age;
        self.roll_rights_revoked += o.roll_rights_revoked;
        self.roll_released += o.roll_released;
        self.roll_no_valid_nik += o.roll_no_valid_nik;
        self.roll_unregistered += o.roll_unregistered;
        self.roll_unregistered_detainees += o.roll_unregistered_detainees;
    }

    pub fn sum<'a>(all: impl IntoIterator<Item = &'a Figures>) -> Figures {
        let mut total = Figures::default();
        for f in all {
            total.add(f);
        }
        total
    }

    /// The figures written for a page: `15.895`, `85%`.
    pub fn view(&self) -> FiguresView {
        let n = format::number;
        FiguresView {
            facilities: n(self.facilities),
            stations: n(self.stations),
            inmates: n(self.inmates),
            dpt: n(self.dpt),
            dptb: n(self.dptb),
            dpk: n(self.dpk),
            with_vote: n(self.with_vote()),
            percent: format::percent(self.with_vote(), self.inmates),
            ready: n(self.stations_ready),
            ready_percent: format::percent(self.stations_ready, self.stations),
            shortage_stations: n(self.shortage_stations),
            shortage_ballots: n(self.shortage_ballots),
            no_valid_nik: n(self.roll_no_valid_nik),
        }
    }
}

/// [`Figures`] written for a page.
#[derive(Debug, Clone)]
pub struct FiguresView {
    pub facilities: String,
    pub stations: String,
    pub inmates: String,
    pub dpt: String,
    pub dptb: String,
    pub dpk: String,
    pub with_vote: String,
    pub percent: String,
    pub ready: String,
    pub ready_percent: String,
    pub shortage_stations: String,
    pub shortage_ballots: String,
    pub no_valid_nik: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_vote_and_percentage_follow_the_press_figures() {
        let sumsel = Figures {
            facilities: 20,
            stations: 51,
            inmates: 15_895,
            dpt: 9_084,
            dptb: 1_913,
            dpk: 2_522,
            ..Figures::default()
        };
        let v = sumsel.view();
        assert_eq!(v.with_vote, "13.519");
        assert_eq!(v.percent, "85%");
        assert_eq!(v.inmates, "15.895");
        let twice = Figures::sum([&sumsel, &sumsel]);
        assert_eq!(twice.with_vote(), 27_038);
        assert_eq!(twice.facilities, 40);
    }
}
