package sudo

import "errors"

// IntegrityTest implements frame.IntegrityTester.
func (p *Pallet) IntegrityTest() error {
	if p.cfg.Calls == nil {
		return errors.New("sudo: Config.Calls is nil")
	}
	return nil
}
