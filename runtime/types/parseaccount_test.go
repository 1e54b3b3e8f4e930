package types

import "testing"

func TestParseAccountID(t *testing.T) {
	alice := "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
	a, err := ParseAccountID("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")
	if err != nil || a.Hex() != alice {
		t.Fatalf("ss58: %s %v", a.Hex(), err)
	}
	b, err := ParseAccountID(alice)
	if err != nil || b != a {
		t.Fatalf("hex: %v", err)
	}
	for _, bad := range []string{"0x1234", "0xzz", "", "5Grwva"} {
		if _, err := ParseAccountID(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
