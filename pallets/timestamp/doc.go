// Package timestamp is pallet_timestamp: the block author sets the block's
// time with the `set` inherent (call 0, None origin, Mandatory) from the
// inherent data `timstap0` (u64 LE milliseconds). It must be set exactly
// once per block (on_finalize fails the block otherwise), and each value
// must be at least the previous plus MinimumPeriod. check_inherents rejects
// a time more than 30 s ahead of the importer's clock or too early.
package timestamp
