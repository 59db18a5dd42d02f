package com.example.docs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;

/** A small HTTP server: GET /docs lists the documents, GET /docs?name=x returns one. */
public class DocumentServer {
    private final DocumentStore store;

    public DocumentServer(DocumentStore store) {
        this.store = store;
    }

    void handle(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        byte[] body;
        int status = 200;
        try {
            if (query != null && query.startsWith("name=")) {
                String name = URLDecoder.decode(query.substring(5), StandardCharsets.UTF_8);
                body = store.read(name);
            } else {
                body = String.join("\n", store.list()).getBytes(StandardCharsets.UTF_8);
            }
        } catch (FileNotFoundException e) {
            status = 404;
            body = "not found\n".getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            status = 400;
            body = "bad request\n".getBytes(StandardCharsets.UTF_8);
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public static void main(String[] args) throws IOException {
        String root = args.length > 0 ? args[0] : "documents";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
        DocumentServer server = new DocumentServer(new DocumentStore(Paths.get(root)));
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        http.createContext("/docs", server::handle);
        http.start();
        System.out.println("serving " + root + " on port " + port);
    }
}
