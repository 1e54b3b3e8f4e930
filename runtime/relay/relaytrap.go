//go:build relaytrap

package relay

// A deliberately broken relay runtime for the upgrade tests (build tag
// relaytrap, built without the runtime_version custom section): its module
// instantiates, but every entry point, Core_version included, traps on a nil
// runtime. System.set_code must refuse it (FailedToExtractRuntimeVersion)
// instead of installing code no node could run.
func init() { theRuntime = nil }
