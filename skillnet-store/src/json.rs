//! [`Json`]: a serde value stored in a [`JsonDoc`] column (`TEXT` on SQLite, `JSONB` on
//! PostgreSQL), so row structs and queries are written once for both dialects.

use std::fmt::Debug;

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::serialize::{self, IsNull, Output, ToSql};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::schema::sql_types::JsonDoc;

/// A value serialized as JSON in a [`JsonDoc`] column.
#[derive(Debug, Clone, PartialEq, AsExpression, FromSqlRow)]
#[diesel(sql_type = JsonDoc)]
pub struct Json<T>(pub T);

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;
    use diesel::sql_types::Text;
    use diesel::sqlite::{Sqlite, SqliteValue};

    impl<T: Serialize + Debug> ToSql<JsonDoc, Sqlite> for Json<T> {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
            out.set_value(serde_json::to_string(&self.0)?);
            Ok(IsNull::No)
        }
    }

    impl<T: DeserializeOwned> FromSql<JsonDoc, Sqlite> for Json<T> {
        fn from_sql(value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
            let text = <String as FromSql<Text, Sqlite>>::from_sql(value)?;
            Ok(Json(serde_json::from_str(&text)?))
        }
    }
}

#[cfg(feature = "postgres")]
mod pg {
    use super::*;
    use diesel::pg::{Pg, PgValue};
    use std::io::Write;

    /// JSONB's binary format: a version byte (1) followed by the JSON text.
    const JSONB_VERSION: u8 = 1;

    impl<T: Serialize + Debug> ToSql<JsonDoc, Pg> for Json<T> {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
            out.write_all(&[JSONB_VERSION])?;
            serde_json::to_writer(out, &self.0)?;
            Ok(IsNull::No)
        }
    }

    impl<T: DeserializeOwned> FromSql<JsonDoc, Pg> for Json<T> {
        fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
            match value.as_bytes().split_first() {
                Some((&JSONB_VERSION, text)) => Ok(Json(serde_json::from_slice(text)?)),
                _ => Err("unsupported JSONB encoding version".into()),
            }
        }
    }
}
