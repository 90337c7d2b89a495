"""Plain HTTP routes (exports, import templates, private files). Registered through
netsign_console.api.routes.api_routes(); every route authenticates and checks permission."""
