package keystore_test

import (
	"fmt"

	"github.com/metamars/mars/host/keystore"
)

func ExampleFromURI() {
	alice, err := keystore.FromURI(keystore.Sr25519, "//Alice")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%x\n", alice.Public())
	fmt.Println(alice.AccountID().SS58(42))
	// Output:
	// d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d
	// 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY
}
