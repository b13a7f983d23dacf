"""The HTTP layer: the app factory, middleware, routers and page rendering; the only code that
knows FastAPI and Starlette."""
