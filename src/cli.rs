//! Command-line front.

pub fn run() -> u8 {
    0
}
