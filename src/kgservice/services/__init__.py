"""Services: the logic behind the routers and commands that is more than one call to the store."""
