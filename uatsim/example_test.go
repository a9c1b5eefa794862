package uatsim_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/zaoshu/zaoshu/uatsim"
)

// A simulator embedded in a program: serve it on a port of its own and log in.
func Example() {
	sim := uatsim.New(uatsim.Options{DepositoryDelay: 100 * time.Millisecond})
	defer sim.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go sim.Serve(ctx, ln)

	body := `{"operator":"` + uatsim.UATOperator + `","password":"` + uatsim.UATPassword + `"}`
	resp, err := http.Post("http://"+ln.Addr().String()+"/account/operator/login", "application/json", strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, strings.Contains(string(b), `"code":"0","message":"成功"`))
	// Output: 200 true
}
