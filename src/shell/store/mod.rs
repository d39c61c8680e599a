//! D1, the source of truth. Statements live in `sql/` (one file each, named for what they do);
//! this module binds, runs and decodes them, and counts round trips per request.

pub mod audit;
pub mod birthdays;
pub mod campaigns;
pub mod files;
pub mod jobs;
pub mod keys;
pub mod ledger;
pub mod members;
pub mod merchants;
pub mod messages;
pub mod metrics;
pub mod orders;
pub mod passkeys;
pub mod people;
pub mod push;
pub mod referrals;
pub mod resets;
pub mod rewards;
pub mod scans;
pub mod sequences;
pub mod setup;
pub mod signup_codes;
pub mod tiers;
pub mod tills;
pub mod webhook_log;

use std::cell::{Cell, RefCell};

use serde::de::DeserializeOwned;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, D1Result};

use super::error::AppError;
use crate::domain::ids::MerchantId;
use crate::domain::shard::ShardMap;

/// Largest integer D1 carries exactly (JavaScript's safe integer range).
const MAX_SAFE: i64 = (1 << 53) - 1;

/// A bound parameter.
pub enum Arg<'a> {
    Text(&'a str),
    Int(i64),
    Null,
}

impl Arg<'_> {
    fn to_js(&self) -> Result<JsValue, AppError> {
        Ok(match self {
            Arg::Text(s) => JsValue::from_str(s),
            Arg::Int(i) if i.unsigned_abs() <= MAX_SAFE.unsigned_abs() => {
                JsValue::from_f64(*i as f64)
            }
            Arg::Int(i) => {
                return Err(AppError::internal(format!(
                    "integer {i} is outside D1's safe range"
                )))
            }
            Arg::Null => JsValue::null(),
        })
    }

    fn to_json(&self) -> serde_json::Value {
        match self {
            Arg::Text(s) => (*s).into(),
            Arg::Int(i) => (*i).into(),
            Arg::Null => serde_json::Value::Null,
        }
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(s)
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(s: Option<&'a str>) -> Self {
        s.map_or(Arg::Null, Arg::Text)
    }
}

impl From<Option<i64>> for Arg<'_> {
    fn from(i: Option<i64>) -> Self {
        i.map_or(Arg::Null, Arg::Int)
    }
}

impl From<i64> for Arg<'_> {
    fn from(i: i64) -> Self {
        Arg::Int(i)
    }
}

/// The database of one request, counting its round trips. A deployment may bind several D1
/// databases (shards, `domain::shard`); a request works on one merchant's shard, chosen by
/// [`Db::place`] before its first statement, and a job visits each shard in turn.
pub struct Db {
    shards: Vec<D1Database>,
    map: ShardMap,
    current: Cell<usize>,
    round_trips: Cell<u32>,
    /// With `D1_TRACE=1` (scripts/bench only): every statement and call, for the floor worker.
    trace: Option<Trace>,
}

/// What a traced request sent to D1: statements prepared since the last call, and the calls.
#[derive(Default)]
struct Trace {
    pending: RefCell<Vec<serde_json::Value>>,
    calls: RefCell<Vec<serde_json::Value>>,
}

impl Db {
    /// Wraps the D1 bindings the map names (one, `DB`, without sharding).
    pub fn new(shards: Vec<D1Database>, map: ShardMap, traced: bool) -> Self {
        Db {
            shards,
            map,
            current: Cell::new(0),
            round_trips: Cell::new(0),
            trace: traced.then(Trace::default),
        }
    }

    /// The calls of a traced request, as JSON (`None` when not tracing).
    pub fn trace(&self) -> Option<serde_json::Value> {
        self.trace
            .as_ref()
            .map(|t| serde_json::Value::Array(t.calls.take()))
    }

    fn traced(&self, op: &str) {
        if let Some(t) = &self.trace {
            let stmts = t.pending.take();
            t.calls
                .borrow_mut()
                .push(serde_json::json!({ "op": op, "stmts": stmts }));
        }
    }

    /// Works on the shard that holds `merchant` from now on.
    pub fn place(&self, merchant: MerchantId) {
        self.current.set(self.map.shard_of(merchant));
    }

    /// Works on shard `i` (of [`Db::shard_count`]) from now on.
    pub fn use_shard(&self, i: usize) {
        self.current.set(i.min(self.shards.len().saturating_sub(1)));
    }

    /// The index of the shard in use.
    pub fn shard(&self) -> usize {
        self.current.get()
    }

    /// How many shards the deployment binds.
    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// The binding name of the shard in use.
    pub fn shard_name(&self) -> &str {
        self.map
            .names()
            .get(self.current.get())
            .map_or("DB", String::as_str)
    }

    fn d1(&self) -> Result<&D1Database, AppError> {
        self.shards
            .get(self.current.get())
            .ok_or_else(|| AppError::internal("no D1 database is bound"))
    }

    /// Returns how many times this request has gone to D1.
    pub fn round_trips(&self) -> u32 {
        self.round_trips.get()
    }

    /// Prepares `sql` with `args` bound to ?1, ?2, ...
    pub fn stmt(&self, sql: &str, args: &[Arg<'_>]) -> Result<D1PreparedStatement, AppError> {
        let wanted = highest_parameter(sql);
        if wanted != args.len() {
            let first_line = sql.lines().next().unwrap_or_default();
            return Err(AppError::internal(format!(
                "statement `{first_line}` uses ?1..?{wanted} but {} values were bound",
                args.len()
            )));
        }
        let values = args.iter().map(Arg::to_js).collect::<Result<Vec<_>, _>>()?;
        if let Some(t) = &self.trace {
            let args: Vec<serde_json::Value> = args.iter().map(Arg::to_json).collect();
            t.pending
                .borrow_mut()
                .push(serde_json::json!({ "sql": sql, "args": args }));
        }
        self.d1()?
            .prepare(sql)
            .bind(&values)
            .map_err(AppError::storage)
    }

    /// Runs statements as one atomic batch, in one round trip.
    pub async fn batch(&self, stmts: Vec<D1PreparedStatement>) -> Result<Vec<D1Result>, AppError> {
        self.round_trips.set(self.round_trips.get() + 1);
        self.traced("batch");
        self.d1()?.batch(stmts).await.map_err(AppError::storage)
    }

    /// Runs one statement and decodes its rows.
    pub async fn rows<T: DeserializeOwned>(
        &self,
        stmt: D1PreparedStatement,
    ) -> Result<Vec<T>, AppError> {
        self.round_trips.set(self.round_trips.get() + 1);
        self.traced("all");
        let result = stmt.all().await.map_err(AppError::storage)?;
        decode(&result)
    }

    /// Runs one statement for its effect and returns the number of rows it changed.
    pub async fn run(&self, stmt: D1PreparedStatement) -> Result<usize, AppError> {
        self.round_trips.set(self.round_trips.get() + 1);
        self.traced("run");
        let result = stmt.run().await.map_err(AppError::storage)?;
        changes(&result)
    }
}

/// Returns the highest `?N` placeholder in `sql` (comments included: keep them truthful).
fn highest_parameter(sql: &str) -> usize {
    sql.split('?')
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<usize>().ok()
        })
        .max()
        .unwrap_or(0)
}

/// Decodes the rows of one statement's result.
pub fn decode<T: DeserializeOwned>(result: &D1Result) -> Result<Vec<T>, AppError> {
    result.results::<T>().map_err(AppError::storage)
}

/// Decodes the first row of one statement's result, if any.
pub fn first<T: DeserializeOwned>(result: Option<&D1Result>) -> Result<Option<T>, AppError> {
    match result {
        Some(r) => Ok(decode::<T>(r)?.into_iter().next()),
        None => Err(AppError::internal(
            "a batch returned fewer results than statements",
        )),
    }
}

/// Returns how many rows a statement changed.
pub fn changes(result: &D1Result) -> Result<usize, AppError> {
    Ok(result
        .meta()
        .map_err(AppError::storage)?
        .and_then(|m| m.changes)
        .unwrap_or(0))
}

/// Returns how many rows statement `i` of a batch changed.
pub fn count(results: &[D1Result], i: usize) -> Result<usize, AppError> {
    Ok(results.get(i).map(changes).transpose()?.unwrap_or(0))
}

/// Whether statement `i` of a batch changed exactly one row (its guarded write went in).
pub fn changed(results: &[D1Result], i: usize) -> Result<bool, AppError> {
    Ok(count(results, i)? == 1)
}
