// Package metadata builds Substrate runtime metadata (V14 and V15, see
// PROTOCOL.md §5) without reflection: a Registry assigns dense type ids to
// scale-info type definitions (deduplicated by their encoding, with
// Reserve/Define for recursive types such as RuntimeCall), and Metadata
// encodes the pallets, the extrinsic format, the runtime APIs and the outer
// enums as `meta` ++ version ++ RuntimeMetadataV14/V15.
//
// Pallets describe their calls, events, errors, storage and constants
// with the Registry's builders; a runtime assembles them (see Build in
// runtime.go). Type paths follow the Rust ones (e.g.
// sp_core::crypto::AccountId32, frame_system::EventRecord) because
// @polkadot/api recognises types by path.
package metadata
