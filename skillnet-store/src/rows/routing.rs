//! The routing query's result row (not a table): one routing tier's figures.

use diesel::prelude::*;
use skillnet_core::{StayStats, TierStats};

use crate::error::StoreError;

/// One row of the routing query: one routing tier's counts and stay-length percentiles.
#[derive(Debug, QueryableByName)]
#[cfg_attr(
    all(feature = "sqlite", feature = "postgres"),
    diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))
)]
pub(crate) struct TierRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub tier: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub phases: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub landed: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub failed: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub retries: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub running_samples: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub running_median: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub running_p90: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub verifying_samples: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub verifying_median: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub verifying_p90: Option<i64>,
}

impl TierRow {
    pub fn into_stats(self) -> Result<TierStats, StoreError> {
        let count = |n: i64| {
            u64::try_from(n)
                .map_err(|_| StoreError::backend(format!("negative count {n} from the routing query")))
        };
        Ok(TierStats {
            phases: count(self.phases)?,
            landed: count(self.landed)?,
            failed: count(self.failed)?,
            retries: count(self.retries)?,
            running: StayStats {
                samples: count(self.running_samples)?,
                median_seconds: self.running_median,
                p90_seconds: self.running_p90,
            },
            verifying: StayStats {
                samples: count(self.verifying_samples)?,
                median_seconds: self.verifying_median,
                p90_seconds: self.verifying_p90,
            },
            routing_tier: self.tier,
        })
    }
}
