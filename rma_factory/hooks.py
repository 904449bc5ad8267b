def post_init_hook(env):
    """Warehouses created before the module was installed get their returns set-up too."""
    env["stock.warehouse"].with_context(active_test=False).search([])._rma_set_up_returns()
