from odoo import http
from odoo.addons.web.controllers.dataset import DataSet
from odoo.http import request


class RmaDataSet(DataSet):
    """Odoo runs a call with the context the client sends, and none at all when it sends none
    (odoo/service/model.py): a script posting to /web/dataset/call_kw without one would get the
    returns' messages in English whatever the user's language. On the returns' models, a call
    without a language speaks the session user's; the web client always sends its own, and
    other models are left as Odoo has them."""

    @http.route()
    def call_kw(self, model, method, args, kwargs, path=None):
        return super().call_kw(model, method, args, self._rma_in_user_language(model, kwargs), path=path)

    @http.route()
    def call_button(self, model, method, args, kwargs, path=None):
        return super().call_button(model, method, args, self._rma_in_user_language(model, kwargs), path=path)

    @staticmethod
    def _rma_in_user_language(model, kwargs):
        context = kwargs.get("context") or {}
        lang = request.session.context.get("lang")
        if not model.startswith("rma.") or "lang" in context or not lang:
            return kwargs
        return {**kwargs, "context": {**context, "lang": lang}}
