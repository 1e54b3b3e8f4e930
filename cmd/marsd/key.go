package main

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	bip39 "github.com/cosmos/go-bip39"
	"github.com/spf13/cobra"
	"golang.org/x/crypto/pbkdf2"

	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/runtime/types"
)

func newKeyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "key",
		Short: "Generate, inspect and store keys (like Substrate's subkey)",
		Long: `Offline key tools. Secret URIs follow Substrate:
<mnemonic | 0x<64 hex seed>>[//hard][/soft][///password]; a URI starting with '/'
uses the development phrase, so //Alice is the well-known Alice.`,
	}
	cmd.AddCommand(newKeyGenerateCmd(), newKeyInspectCmd(), newKeyInsertCmd())
	return cmd
}

// keyInfo is what key generate and inspect print.
type keyInfo struct {
	SecretPhrase string `json:"secretPhrase,omitempty"`
	SecretURI    string `json:"secretUri,omitempty"`
	SecretSeed   string `json:"secretSeed,omitempty"`
	Scheme       string `json:"scheme"`
	NetworkID    uint16 `json:"ss58Prefix"`
	PublicKey    string `json:"publicKey"`
	AccountID    string `json:"accountId"`
	PublicSS58   string `json:"publicKeySs58"`
	SS58Address  string `json:"ss58Address"`
}

func newKeyInfo(kp keystore.KeyPair, prefix uint16) keyInfo {
	pub := kp.Public()
	ss58 := types.AccountID(pub).SS58(prefix)
	return keyInfo{
		Scheme:      kp.Scheme().String(),
		NetworkID:   prefix,
		PublicKey:   "0x" + hex.EncodeToString(pub[:]),
		AccountID:   kp.AccountID().Hex(),
		PublicSS58:  ss58,
		SS58Address: ss58,
	}
}

func (k keyInfo) write(w io.Writer, outputType string) error {
	switch outputType {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(k)
	case "text":
	default:
		return fmt.Errorf("--output-type must be text or json, not %q", outputType)
	}
	switch {
	case k.SecretPhrase != "":
		fmt.Fprintf(w, "Secret phrase:       %s\n", k.SecretPhrase)
	case k.SecretURI != "":
		fmt.Fprintf(w, "Secret Key URI `%s` is account:\n", k.SecretURI)
	}
	fmt.Fprintf(w, "  Network ID:        %d\n", k.NetworkID)
	if k.SecretSeed != "" {
		fmt.Fprintf(w, "  Secret seed:       %s\n", k.SecretSeed)
	}
	fmt.Fprintf(w, "  Key scheme:        %s\n", k.Scheme)
	fmt.Fprintf(w, "  Public key (hex):  %s\n", k.PublicKey)
	fmt.Fprintf(w, "  Account ID:        %s\n", k.AccountID)
	fmt.Fprintf(w, "  Public key (SS58): %s\n", k.PublicSS58)
	fmt.Fprintf(w, "  SS58 Address:      %s\n", k.SS58Address)
	return nil
}

func newKeyGenerateCmd() *cobra.Command {
	var scheme, outputType string
	var words int
	var prefix uint16
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Generate a new random mnemonic and print its key",
		Long: `Generates a BIP-39 English mnemonic from the system's randomness and prints its
secret seed (substrate-bip39: PBKDF2 over the mnemonic's entropy), public key,
account id and SS58 address. Keep the phrase secret: it is the key.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := keystore.ParseScheme(scheme)
			if err != nil {
				return fmt.Errorf("--scheme: %w", err)
			}
			if words != 12 && words != 15 && words != 18 && words != 21 && words != 24 {
				return fmt.Errorf("--words must be 12, 15, 18, 21 or 24, not %d", words)
			}
			if outputType != "text" && outputType != "json" {
				return fmt.Errorf("--output-type must be text or json, not %q", outputType)
			}
			phrase, kp, err := keystore.Generate(s, words)
			if err != nil {
				return err
			}
			info := newKeyInfo(kp, prefix)
			info.SecretPhrase = phrase
			info.SecretSeed, _ = secretSeed(phrase)
			return info.write(cmd.OutOrStdout(), outputType)
		},
	}
	cmd.Flags().StringVar(&scheme, "scheme", "sr25519", "signature scheme: sr25519 or ed25519")
	cmd.Flags().IntVar(&words, "words", 12, "number of words: 12, 15, 18, 21 or 24")
	cmd.Flags().StringVar(&outputType, "output-type", "text", "output format: text or json")
	cmd.Flags().Uint16Var(&prefix, "network-prefix", types.SS58Generic, "SS58 address prefix (42 generic substrate)")
	return cmd
}

func newKeyInspectCmd() *cobra.Command {
	var scheme, outputType string
	var prefix uint16
	cmd := &cobra.Command{
		Use:   "inspect SURI",
		Short: "Print the public key, account id and SS58 address of a secret URI",
		Long: `Derives the key of a secret URI (mnemonic, 0x seed, with //hard, /soft and
///password parts) exactly as Substrate does and prints its public key, account
id and SS58 address. The secret seed is printed when the URI has no derivation
path.`,
		Example: `  marsd key inspect //Alice
  marsd key inspect --scheme ed25519 //Alice
  marsd key inspect --network-prefix 0 "bottom drive obey lake curtain smoke basket hold race lonely fit walk//Alice"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := keystore.ParseScheme(scheme)
			if err != nil {
				return fmt.Errorf("--scheme: %w", err)
			}
			if prefix > types.SS58MaxPrefix {
				return fmt.Errorf("--network-prefix must be at most %d", types.SS58MaxPrefix)
			}
			if outputType != "text" && outputType != "json" {
				return fmt.Errorf("--output-type must be text or json, not %q", outputType)
			}
			kp, err := keystore.FromURI(s, args[0])
			if err != nil {
				return err
			}
			info := newKeyInfo(kp, prefix)
			info.SecretURI = args[0]
			info.SecretSeed, _ = secretSeed(args[0])
			return info.write(cmd.OutOrStdout(), outputType)
		},
	}
	cmd.Flags().StringVar(&scheme, "scheme", "sr25519", "signature scheme: sr25519 or ed25519")
	cmd.Flags().Uint16Var(&prefix, "network-prefix", types.SS58Generic, "SS58 address prefix (42 generic substrate, 0 Polkadot, 2 Kusama)")
	cmd.Flags().StringVar(&outputType, "output-type", "text", "output format: text or json")
	return cmd
}

func newKeyInsertCmd() *cobra.Command {
	var basePath, suri, keyType, scheme string
	cmd := &cobra.Command{
		Use:   "insert --base-path DIR --suri SURI --key-type aura|gran|acco",
		Short: "Store a secret key in a node's keystore (<base-path>/keystore)",
		Long: `Writes the secret URI into the keystore of the node whose base path is DIR, as
Substrate's LocalKeystore does (file hex(key type)++hex(public key), mode 0600).
Key types: aura (block authoring, sr25519), gran (GRANDPA finality, ed25519),
acco (account, sr25519). --scheme defaults to the key type's scheme.`,
		Example: `  marsd key insert --base-path /var/lib/marsd --suri //Alice --key-type aura
  marsd key insert --base-path /var/lib/marsd --suri //Alice --key-type gran`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kt, defScheme, err := parseKeyType(keyType)
			if err != nil {
				return err
			}
			s := defScheme
			if cmd.Flags().Changed("scheme") {
				if s, err = keystore.ParseScheme(scheme); err != nil {
					return fmt.Errorf("--scheme: %w", err)
				}
			}
			ks, err := keystore.Open(basePath)
			if err != nil {
				return err
			}
			kp, err := ks.Insert(kt, suri, s)
			if err != nil {
				return err
			}
			pub := kp.Public()
			fmt.Fprintf(cmd.OutOrStdout(), "inserted %s key (%s) 0x%x (%s) into %s\n",
				kt, s, pub[:], types.AccountID(pub).SS58(types.SS58Generic), ks.Dir())
			return nil
		},
	}
	cmd.Flags().StringVar(&basePath, "base-path", "", "the node's base path; keys go to <base-path>/keystore (required)")
	cmd.Flags().StringVar(&suri, "suri", "", "secret URI of the key (required)")
	cmd.Flags().StringVar(&keyType, "key-type", "", "key type: aura, gran or acco (required)")
	cmd.Flags().StringVar(&scheme, "scheme", "", "signature scheme: sr25519 or ed25519 (default: the key type's)")
	for _, f := range []string{"base-path", "suri", "key-type"} {
		_ = cmd.MarkFlagRequired(f)
	}
	return cmd
}

func parseKeyType(s string) (keystore.KeyType, keystore.Scheme, error) {
	switch s {
	case "aura":
		return keystore.KeyTypeAura, keystore.Sr25519, nil
	case "gran":
		return keystore.KeyTypeGrandpa, keystore.Ed25519, nil
	case "acco":
		return keystore.KeyTypeAccount, keystore.Sr25519, nil
	}
	return keystore.KeyType{}, 0, fmt.Errorf("--key-type must be aura, gran or acco, not %q", s)
}

// secretSeed returns the mini secret seed of a URI that has no derivation
// path: a 0x seed as given, or substrate-bip39's seed of a mnemonic (with
// its ///password); ok is false when the URI derives (//, /).
func secretSeed(suri string) (string, bool) {
	phrase, password, _ := strings.Cut(suri, "///")
	if phrase == "" || strings.Contains(phrase, "/") {
		return "", false
	}
	if h, ok := strings.CutPrefix(phrase, "0x"); ok {
		if b, err := hex.DecodeString(h); err == nil && len(b) == 32 {
			return "0x" + h, true
		}
		return "", false
	}
	entropy, ok := mnemonicEntropy(phrase)
	if !ok {
		return "", false
	}
	seed := pbkdf2.Key(entropy, []byte("mnemonic"+password), 2048, 64, sha512.New)
	return "0x" + hex.EncodeToString(seed[:32]), true
}

// mnemonicEntropy decodes an English BIP-39 phrase to its entropy,
// checking the checksum.
func mnemonicEntropy(phrase string) ([]byte, bool) {
	words := strings.Fields(phrase)
	n := len(words)
	if n < 12 || n > 24 || n%3 != 0 {
		return nil, false
	}
	index := make(map[string]int, len(bip39.EnglishWordList))
	for i, w := range bip39.EnglishWordList {
		index[w] = i
	}
	totalBits := n * 11
	csBits := totalBits / 33
	entBytes := (totalBits - csBits) / 8
	buf := make([]byte, (totalBits+7)/8)
	for i, w := range words {
		idx, ok := index[w]
		if !ok {
			return nil, false
		}
		for b := 0; b < 11; b++ {
			if idx&(1<<(10-b)) != 0 {
				bit := i*11 + b
				buf[bit/8] |= 0x80 >> (bit % 8)
			}
		}
	}
	sum := sha256.Sum256(buf[:entBytes])
	if sum[0]>>(8-csBits) != buf[entBytes]>>(8-csBits) {
		return nil, false
	}
	return buf[:entBytes], true
}
