//! JSON Pointer → line:column for the text of a loaded document.
//! Must not: run during load (it is built lazily, on the first lookup).
