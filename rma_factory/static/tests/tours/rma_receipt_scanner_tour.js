import { registry } from "@web/core/registry";

// A keyboard-wedge scanner types fast and ends with Enter, wherever the focus is.
function scan(code) {
    return {
        content: `Scan ${code}`,
        trigger: ".o_form_view .o_rma_scan_message:not(.d-none), .o_form_view .o_field_widget[name=picking_id]",
        run() {
            for (const key of [...code, "Enter"]) {
                document.body.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
            }
        },
    };
}

registry.category("web_tour.tours").add("rma_factory_scan_receipt", {
    steps: () => [
        scan("RMA/TOUR/00001"),
        {
            content: "The receipt of the request is open",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(RMA Pump)",
        },
        scan("NO-SUCH-CODE-42"),
        {
            content: "An unknown barcode is refused in red",
            trigger: ".o_rma_scan_error:contains(Unknown barcode)",
        },
        scan("6921234599990"),
        {
            content: "First unit counted",
            trigger: ".alert-success:contains(: 1 / 2)",
        },
        scan("6921234599990"),
        {
            content: "Second unit counted",
            trigger: ".alert-success:contains(: 2 / 2)",
        },
        {
            content: "Customer's return list is there",
            trigger: ".o_field_widget[name=doc_return_list] input",
            run: "click",
        },
        {
            content: "Waybill is there",
            trigger: ".o_field_widget[name=doc_waybill] input",
            run: "click",
        },
        {
            content: "Validate",
            trigger: ".o_form_view button[name=action_validate]",
            run: "click",
        },
        {
            content: "Validated, ready for the next one",
            trigger: ".alert-success:contains(validated)",
        },
    ],
});
