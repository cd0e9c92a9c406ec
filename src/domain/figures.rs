//! The counts every overview shows (facilities, TPS, inmates, DPT/DPTb/DPK) and their
//! Indonesian display form. Pure values: the SQL that fills them lives with each page.

use crate::domain::format;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub facilities: i64,
    pub stations: i64,
    pub inmates: i64,
    pub dpt: i64,
    pub dptb: i64,
    pub dpk: i64,
}

impl Counts {
    /// Voters on any list (DPT + DPTb + DPK): "with the vote" in press figures.
    pub fn with_vote(&self) -> i64 {
        self.dpt + self.dptb + self.dpk
    }

    pub fn add(&mut self, other: &Counts) {
        self.facilities += other.facilities;
        self.stations += other.stations;
        self.inmates += other.inmates;
        self.dpt += other.dpt;
        self.dptb += other.dptb;
        self.dpk += other.dpk;
    }

    pub fn sum<'a>(all: impl IntoIterator<Item = &'a Counts>) -> Counts {
        let mut total = Counts::default();
        for c in all {
            total.add(c);
        }
        total
    }

    pub fn display(&self) -> CountsView {
        CountsView {
            facilities: format::number(self.facilities),
            stations: format::number(self.stations),
            inmates: format::number(self.inmates),
            dpt: format::number(self.dpt),
            dptb: format::number(self.dptb),
            dpk: format::number(self.dpk),
            with_vote: format::number(self.with_vote()),
            percent: format::percent(self.with_vote(), self.inmates),
        }
    }
}

/// [`Counts`] formatted for a page: `15.895`, `85%`.
#[derive(Debug, Clone)]
pub struct CountsView {
    pub facilities: String,
    pub stations: String,
    pub inmates: String,
    pub dpt: String,
    pub dptb: String,
    pub dpk: String,
    pub with_vote: String,
    pub percent: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_vote_and_percentage_follow_the_press_figures() {
        let sumsel = Counts {
            facilities: 20,
            stations: 51,
            inmates: 15_895,
            dpt: 9_084,
            dptb: 1_913,
            dpk: 2_522,
        };
        let v = sumsel.display();
        assert_eq!(v.with_vote, "13.519");
        assert_eq!(v.percent, "85%");
        assert_eq!(v.inmates, "15.895");
        let twice = Counts::sum([&sumsel, &sumsel]);
        assert_eq!(twice.with_vote(), 27_038);
        assert_eq!(twice.facilities, 40);
    }
}
