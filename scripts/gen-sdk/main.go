// Command googlechat-gen-sdk writes the Go, Python and Node.js SDKs of a Pulumi package from its
// schema, with the code generators of github.com/pulumi/pulumi/pkg/v3 (codegen/go, codegen/python,
// codegen/nodejs): the ones Pulumi's language hosts (pulumi-language-go, -python, -nodejs) call
// when `pulumi package gen-sdk` or `pulumi package add` asks them to. It runs where those hosts
// are not installed. scripts/ensure-gen-sdk builds it inside pkg/v3 at the CLI's version.
//
//	googlechat-gen-sdk <schema.json> <language> <dir>
//
// writes the language's SDK into dir, which must not exist or be empty.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// Set at link time by scripts/ensure-gen-sdk: the version of github.com/pulumi/pulumi/sdk/v3 this
// program was built with, and the Go version its go.mod requires. The Go SDK's go.mod requires
// both, so that it builds against the same SDK as the CLI.
var (
	pulumiVersion = "unknown"
	goVersion     = "unknown"
)

// tool names the generator in the generated files' "do not edit" headers.
const tool = "googlechat-gen-sdk"

// generators, by language: the files of each SDK, by path relative to its folder.
var generators = map[string]func(*schema.Package) (map[string][]byte, error){
	"go": generateGo,
	"python": func(pkg *schema.Package) (map[string][]byte, error) {
		return pythongen.GeneratePackage(tool, pkg, nil, noLoader{})
	},
	// A local SDK (as `pulumi package add` makes): its package.json's postinstall compiles it, so
	// a program's `file:` dependency on the folder gets a built package.
	"nodejs": func(pkg *schema.Package) (map[string][]byte, error) {
		return nodejsgen.GeneratePackage(tool, pkg, nil, nil, true, noLoader{})
	},
}

func main() {
	if len(os.Args) != 4 || generators[os.Args[2]] == nil {
		fail(fmt.Errorf("usage: %s <schema.json> <language> <dir> (languages: %v)", tool, languages()))
	}
	schemaPath, language, dir := os.Args[1], os.Args[2], os.Args[3]
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		fail(fmt.Errorf("%s is not empty: remove it first, so that no file of an older SDK stays", dir))
	}
	pkg, err := bind(schemaPath)
	if err != nil {
		fail(err)
	}
	files, err := generators[language](pkg)
	if err != nil {
		fail(fmt.Errorf("%s: %w", language, err))
	}
	if err := write(dir, files); err != nil {
		fail(err)
	}
	fmt.Printf("%s: %d files in %s\n", language, len(files), dir)
}

// bind reads and binds the package schema, failing on any error the binder reports.
func bind(schemaPath string) (*schema.Package, error) {
	text, err := os.ReadFile(schemaPath)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(text, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", schemaPath, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noLoader{}, schema.ValidationOptions{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", schemaPath, err)
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: %w", schemaPath, diags)
	}
	return pkg, nil
}

// generateGo writes the Go packages under the folder named by the last element of the schema's
// go.importBasePath, and a go.mod one level above them whose module path is the import base path
// less that element (Pulumi's layout: `<module>/<package>`). The codegen writes a go.mod only
// for packages marked supportPack, requiring an SDK version of its own choosing; this one
// requires the SDK the CLI was built from. go.sum is left to `go mod tidy`.
func generateGo(pkg *schema.Package) (map[string][]byte, error) {
	files, err := gogen.GeneratePackage(tool, pkg, nil)
	if err != nil {
		return nil, err
	}
	info, _ := pkg.Language["go"].(gogen.GoPackageInfo)
	if info.ImportBasePath == "" {
		return nil, fmt.Errorf("the schema sets no language.go.importBasePath: the Go SDK needs a module path")
	}
	files["go.mod"] = []byte(fmt.Sprintf("module %s\n\ngo %s\n\nrequire github.com/pulumi/pulumi/sdk/v3 v%s\n",
		path.Dir(info.ImportBasePath), goVersion, pulumiVersion))
	return files, nil
}

func write(dir string, files map[string][]byte) error {
	for name, content := range files {
		file := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(file, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func languages() []string {
	names := make([]string, 0, len(generators))
	for name := range generators {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", tool, err)
	os.Exit(1)
}

// noLoader loads no other package: the googlechat schema refers to none (a reference to one
// fails the binding with this error).
type noLoader struct{}

func (noLoader) err(name string) error {
	return fmt.Errorf("the schema refers to the package %q, and this generator loads no other package", name)
}

func (l noLoader) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, l.err(name)
}

func (l noLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, l.err(d.Name)
}

func (l noLoader) LoadPackageReference(name string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, l.err(name)
}

func (l noLoader) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, l.err(d.Name)
}
