import logging
from contextlib import contextmanager

import psycopg2

from odoo import http
from odoo.addons.web.controllers.dataset import DataSet
from odoo.exceptions import ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)


class RmaDataSet(DataSet):
    """Two things a script posting to /web/dataset/call_kw meets on the returns' models as a user
    of the web client would:

    * its language: Odoo runs a call with the context the client sends, and none at all when it
      sends none (odoo/service/model.py), so the returns' messages would come in English whatever
      the user's language. A call without a language speaks the session user's; the web client
      always sends its own;
    * a clear refusal of values of the wrong kind (a word for an id, a number out of range, an
      unknown choice), where Odoo lets the conversion's own error through. The call changes
      nothing either way: the request's transaction is rolled back.

    Other models are left as Odoo has them."""

    @http.route()
    def call_kw(self, model, method, args, kwargs, path=None):
        if not model.startswith("rma."):
            return super().call_kw(model, method, args, kwargs, path=path)
        with self._rma_clear_value_errors(model):
            self._rma_check_record_links(model, method, args)
            return super().call_kw(model, method, args, self._rma_in_user_language(kwargs), path=path)

    @http.route()
    def call_button(self, model, method, args, kwargs, path=None):
        if not model.startswith("rma."):
            return super().call_button(model, method, args, kwargs, path=path)
        with self._rma_clear_value_errors(model):
            return super().call_button(model, method, args, self._rma_in_user_language(kwargs), path=path)

    @staticmethod
    def _rma_in_user_language(kwargs):
        context = kwargs.get("context") or {}
        lang = request.session.context.get("lang")
        if "lang" in context or not lang:
            return kwargs
        return {**kwargs, "context": {**context, "lang": lang}}

    @staticmethod
    def _rma_check_record_links(model, method, args):
        """A link to a record is its id: Odoo reads a word sent instead as "no record" and saves
        the link empty without a word."""
        if method == "create" and args:
            vals_list = args[0] if isinstance(args[0], list) else [args[0]]
        elif method in ("write", "web_save") and len(args) > 1:
            vals_list = [args[1]]
        else:
            return
        fields = request.env[model]._fields
        for vals in vals_list:
            for name, value in (vals.items() if isinstance(vals, dict) else ()):
                field = fields.get(name)
                if field and field.type == "many2one" and value not in (False, None) \
                        and (isinstance(value, bool) or not isinstance(value, int)):
                    raise ValueError(f"{name}: {value!r} is not the id of a record")

    @staticmethod
    @contextmanager
    def _rma_clear_value_errors(model):
        """A conversion error of the values sent becomes a ValidationError in the user's language."""
        try:
            yield
        except (ValueError, OverflowError, psycopg2.DataError) as error:
            _logger.info("Refused values on %s: %s", model, error)
            if isinstance(error, psycopg2.DataError):
                # The database refused the statement: its transaction is aborted until rolled back.
                request.env.cr.rollback()
            env = request.env(context=dict(request.env.context, lang=request.env.user.lang))
            raise ValidationError(env._(
                "Some of the values sent are not valid for %(model)s (a text where a number or a record is "
                "expected, a number out of range, or an unknown choice): %(detail)s",
                model=env["ir.model"]._get(model).name or model, detail=str(error).splitlines()[0],
            )) from None
