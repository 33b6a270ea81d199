//! Every SQL statement of the accounts feature, one file per table it mostly touches. Rows are read
//! by column name; callers name `accounts::db::x` whichever file holds it.
mod personal;
mod roles;
mod sessions;
mod tokens;
mod users;

pub use self::personal::*;
pub use self::roles::*;
pub use self::sessions::*;
pub use self::tokens::*;
pub use self::users::*;
