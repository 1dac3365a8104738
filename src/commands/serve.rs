//! `proctor serve`: the browser exam room on the same banks and store.

use std::io::Write;

use crate::app::room::Room;
use crate::cli::ServeArgs;
use crate::config::Config;
use crate::error::Result;
use crate::store::Store;
use crate::web::{ServeOptions, serve};

pub fn run(config: &Config, args: &ServeArgs, out: &mut dyn Write) -> Result<()> {
    let data_dir = config.data_dir()?;
    // A damaged store is refused before the room opens, as for every writing command.
    drop(Store::open_for_writing(&data_dir)?);
    let room = Room::new(config.catalog()?, data_dir);
    serve(room, ServeOptions { port: args.port, open: !args.no_open }, out)
}
