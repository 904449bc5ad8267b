import { registry } from "@web/core/registry";

// A sales rep opens a return request from a delivered sale order and submits it.
// The sale order is created by the Python test.
registry.category("web_tour.tours").add("rma_factory_request_from_sale_order", {
    steps: () => [
        {
            content: "Open a return request from the sale order",
            trigger: ".o_form_view button[name=action_create_rma_request]",
            run: "click",
        },
        {
            content: "The delivered line is prefilled",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(RMA Pump)",
        },
        {
            content: "Open the Request Details tab",
            trigger: ".o_notebook a[name=request_details]",
            run: "click",
        },
        {
            content: "Tick criterion B (quality)",
            trigger: ".o_field_widget[name=criterion_quality] input",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Submit for approval",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            content: "The request waits for the first step",
            trigger: ".o_form_view .alert-info:contains(Business Supervisor)",
        },
    ],
});

// The supervisor finds it in "To Approve" and signs the first step.
registry.category("web_tour.tours").add("rma_factory_supervisor_approves", {
    steps: () => [
        {
            content: "Open the request waiting for me",
            trigger: ".o_list_view .o_data_row:contains(RMA Customer Co) td.o_data_cell",
            run: "click",
        },
        {
            content: "Approve",
            trigger: ".o_form_view button[name=action_approve]",
            run: "click",
        },
        {
            content: "Write an opinion",
            trigger: ".modal .o_field_widget[name=opinion] textarea",
            run: "edit 属实，同意退货",
        },
        {
            content: "Sign",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The next step is the marketing manager",
            trigger: ".o_form_view .alert-info:contains(Marketing Manager)",
        },
    ],
});
