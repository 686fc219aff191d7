//! `exback encrypt` and `exback decrypt`, and unlocking an encrypted directory once per
//! command (see docs/security.md).

use std::sync::Arc;

use anyhow::Context as _;

use super::{Context, say};
use crate::journal::Store;
use crate::journal::store::convert;
use crate::journal::store::keystate::{self, KeyState};
use crate::journal::store::seal::{self, SealError, Unlocked};
use crate::ui::Tone;
use crate::ui::passphrase::{self, Purpose};
use crate::workbook::count;
use crate::workbook::screens::DoctorWords;

/// Unlocks `store` when it is encrypted (once per process) and warns when an
/// `encrypt` or `decrypt` was cut short. A wrong or missing passphrase is an error.
pub(crate) fn unlock(store: &Store) -> anyhow::Result<Option<Arc<Unlocked>>> {
    match keystate::state(store.dir()) {
        KeyState::Plain => return Ok(None),
        KeyState::Missing => return Err(keystate::missing(store.dir()).into()),
        KeyState::Keyed => {}
    }
    if let Some(key) = seal::current().filter(|k| k.dir() == store.dir()) {
        return Ok(Some(key));
    }
    let wrapped = convert::read_wrapped_key(store.dir())?;
    let pass = passphrase::obtain(Purpose::Unlock)?;
    let key = keystate::unlock(store.dir(), &wrapped, pass)?;
    if convert::unfinished(store.dir()) {
        say(
            Tone::Caution,
            "warning: an `exback encrypt` or `exback decrypt` did not finish. Everything is \
             readable; run the same command again to finish it.",
        );
    }
    Ok(Some(key))
}

/// `exback encrypt`: sets a passphrase and seals every file; run again, it finishes a
/// conversion that was cut short.
pub(crate) fn encrypt(ctx: &Context) -> anyhow::Result<()> {
    let screens = ctx.screens_or_builtin()?;
    let words = &screens.encrypt;
    let store = ctx.locked_store()?;
    let resumed = keystate::state(store.dir()) != KeyState::Plain;
    let sealed = if resumed {
        unlock(&store)?;
        convert::encrypt(&store, None)?
    } else {
        let pass = passphrase::obtain(Purpose::Set)?;
        let key = seal::new_key(store.dir(), pass.clone());
        let wrapped = key.wrap(&pass).map_err(encrypt_error)?;
        convert::encrypt(&store, Some(&wrapped))?
    };
    if resumed && sealed == 0 {
        say(Tone::Body, &words.already);
    } else {
        say(
            Tone::Good,
            &count(sealed, &words.encrypted_one, &words.encrypted, &[]),
        );
    }
    Ok(())
}

fn encrypt_error(e: SealError) -> anyhow::Error {
    anyhow::Error::new(e).context("cannot encrypt the data directory; nothing was changed")
}

/// `exback decrypt`: turns every file back into plain text and removes the key last.
pub(crate) fn decrypt(ctx: &Context) -> anyhow::Result<()> {
    let screens = ctx.screens_or_builtin()?;
    let words = &screens.encrypt;
    let store = ctx.locked_store()?;
    let Some(key) = unlock(&store)? else {
        say(Tone::Body, &words.not_encrypted);
        return Ok(());
    };
    let opened = convert::decrypt(&store, &key).context("cannot decrypt the data directory")?;
    say(
        Tone::Good,
        &count(opened, &words.decrypted_one, &words.decrypted, &[]),
    );
    Ok(())
}

/// What `doctor` says about encryption: whether the content was checked, and a key
/// that is missing although records are sealed (then an error: nothing can open them).
pub(crate) fn doctor_note(
    out: &mut dyn std::io::Write,
    words: &DoctorWords,
    store: &Store,
    unlocked: bool,
) -> anyhow::Result<()> {
    match keystate::state(store.dir()) {
        KeyState::Plain => {}
        KeyState::Missing => {
            writeln!(out, "{}", words.key_missing)?;
            return Err(keystate::missing(store.dir()).into());
        }
        KeyState::Keyed => {
            if unlocked {
                writeln!(out, "{}", words.encrypted_checked)?;
            } else {
                writeln!(out, "{}", words.encrypted_unchecked)?;
            }
            if convert::unfinished(store.dir()) {
                writeln!(out, "{}", words.conversion_unfinished)?;
            }
        }
    }
    Ok(())
}
