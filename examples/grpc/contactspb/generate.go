// Package contactspb holds the generated Go code of contacts.proto: the messages and the gRPC
// client and server of the Contacts service that examples/grpc serves.
package contactspb

// Regenerating needs protoc 3.21.12, protoc-gen-go v1.36.12 and protoc-gen-go-grpc v1.6.2 on
// PATH; contacts.proto says how to install them.
//go:generate protoc --proto_path=../../.. --go_out=../../.. --go_opt=module=github.com/jwtguard/jwtguard --go-grpc_out=../../.. --go-grpc_opt=module=github.com/jwtguard/jwtguard examples/grpc/contactspb/contacts.proto
