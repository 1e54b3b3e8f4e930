package executor

import (
	"context"
	"log/slog"

	"github.com/tetratelabs/wazero/api"

	"github.com/metamars/mars/runtime/abi"
)

// slogLevel maps a host-API log level (1 Error … 5 Trace) to slog.
func slogLevel(level uint8) slog.Level {
	switch level {
	case abi.LogError:
		return slog.LevelError
	case abi.LogWarn:
		return slog.LevelWarn
	case abi.LogInfo:
		return slog.LevelInfo
	case abi.LogDebug:
		return slog.LevelDebug
	default:
		return slog.LevelDebug - 4 // trace
	}
}

func (s *instState) logMsg(level uint8, target, msg string) {
	if level == 0 || level > s.maxLevel {
		return
	}
	s.log.Log(context.Background(), slogLevel(level), msg, "target", target)
}

func loggingFuncs() []hostFunc {
	return []hostFunc{
		// ext_logging_log_version_1(level i32, target ps, message ps): logs
		// the UTF-8 message under target if level ≤ the max level.
		{abi.FnLoggingLog, func(ctx context.Context, mod api.Module, stack []uint64) {
			st, m := stateOf(ctx), memOf(mod)
			level := uint32(stack[0])
			if level == 0 || level > uint32(st.maxLevel) {
				// Still check the pointers: a bad pointer traps whatever the level.
				viewPS(m, stack[1])
				viewPS(m, stack[2])
				return
			}
			st.logMsg(uint8(level), string(viewPS(m, stack[1])), string(viewPS(m, stack[2])))
		}},
		// ext_logging_max_level_version_1() -> i32: 0 Off, 1 Error … 5 Trace.
		{abi.FnLoggingMaxLevel, func(ctx context.Context, _ api.Module, stack []uint64) {
			stack[0] = uint64(stateOf(ctx).maxLevel)
		}},
	}
}
