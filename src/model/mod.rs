//! The typed model of the department's registers, as loaded and validated. No IO.
//!
//! Every register is a set of records whose values are typed by the field definitions of
//! its form (`forms/NN.yaml`) or ledger (`forms/ledgers/*.yaml`); the two ledgers every rule
//! leans on — rooms with their owners, and fees — also have typed views ([`Room`], [`Fee`]).

mod dataset;
mod excluded;
mod month;
mod register;
mod value;

pub use dataset::{Dataset, Fee, Room, RoomStatus};
pub use excluded::{Excluded, Exclusions};
pub use month::YearMonth;
pub use register::{Origin, Register, RegisterId, Source};
pub use value::{Signature, Value};
