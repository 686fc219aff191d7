//! `exback passphrase`: wraps the data key with a new passphrase. Only `key.age`
//! changes; the data files stay byte for byte as they are.

use super::{Context, encrypt, say};
use crate::journal::store::convert;
use crate::ui::Tone;
use crate::ui::passphrase::{self, Purpose};

pub(crate) fn run(ctx: &Context) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let store = ctx.locked_store()?;
    let Some(key) = encrypt::unlock(&store)? else {
        anyhow::bail!(
            "your data directory is not encrypted, so it has no passphrase; `exback encrypt` sets one"
        );
    };
    let new = passphrase::obtain(Purpose::Change)?;
    let wrapped = key.wrap(&new)?;
    convert::change_passphrase(&store, &wrapped)?;
    say(Tone::Good, &workbook.screens.passphrase.changed);
    Ok(())
}
