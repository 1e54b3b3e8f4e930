// Package sudo is MSC's pallet_sudo, for development chains only: one key
// account may dispatch any call as Root (sudo, sudo_unchecked_weight) or
// as any signed account (sudo_as), hand the key on (set_key) or give it up
// (remove_key). Production runtimes do not include it; governance takes
// its place.
//
// It follows Substrate's pallet_sudo (indices of calls, events and the
// RequireSudo error; storage Sudo.Key: Option<AccountId>). The inner call
// is a RuntimeCall of the runtime, so the pallet needs the runtime's call
// decoder (expected.go), injected at construction. The inner call runs in
// its own storage transaction: when it fails its writes are rolled back,
// but the sudo call itself succeeds and reports the failure in
// Sudid{sudo_result: Err(..)}. The key pays no fee for a successful sudo
// call. The signed extension CheckOnlySudoAccount is not implemented.
package sudo
