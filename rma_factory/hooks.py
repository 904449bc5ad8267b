def post_init_hook(env):
    """Warehouses created before the module was installed get their returns set-up too."""
    env["stock.warehouse"].with_context(active_test=False).search([])._rma_set_up_returns()
    # Companies with a chart of accounts post returns without set-up (Settings → Returns).
    env["res.company"].search([])._rma_set_default_accounting()
