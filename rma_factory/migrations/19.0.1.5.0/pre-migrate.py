"""19.0.1.5.0: the record rules follow the product's process and are updated with it (they were
in a noupdate block): let this upgrade rewrite them, and remove the ones that are gone."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE ir_model_data SET noupdate = FALSE
         WHERE module = 'rma_factory' AND model = 'ir.rule' AND noupdate
        """
    )
