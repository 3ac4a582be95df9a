//! (being written) checks of this area.

use super::Emitter;
use super::rules::Rule;

pub const RULES: &[Rule] = &[];

pub fn check(_em: &mut Emitter<'_>) {}
