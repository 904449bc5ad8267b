import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// One return through every role's screens (#15): each tour below is one step of the same
// request, run by that role's own login, in order (test_rma_role_chain_tour.py builds the sale
// order, its delivery and its paid invoice, and checks after each tour what it changed).
const CUSTOMER = "RMA Customer Co";
const PRODUCT = "RMA Pump";
const PRODUCT_BARCODE = "6921234599990";
const EXECUTOR = "Zhang Wei";

const tours = registry.category("web_tour.tours");

/** The app, then each menu of the path (a section, then its entry), as a user clicks them. */
function openMenu(app, ...path) {
    return [
        ...stepUtils.goToAppSteps(app, `Open the app ${app}`),
        ...path.map((xmlid) => ({
            content: `Menu ${xmlid}`,
            trigger: `.o_main_navbar [data-menu-xmlid="${xmlid}"], .o-dropdown--menu [data-menu-xmlid="${xmlid}"]`,
            run: "click",
        })),
    ];
}

/** The systray's activity menu: my activities on return requests, then the request. */
function openFromMyActivities() {
    return [
        {
            content: "Open my activities",
            trigger: ".o_menu_systray button:has(i[aria-label=Activities])",
            run: "click",
        },
        {
            content: "My activities on return requests",
            trigger: ".o-mail-ActivityGroup[data-model_name='rma.request']",
            run: "click",
        },
        {
            content: "Open the request of the activity",
            trigger: `.o_list_view .o_data_row:contains(${CUSTOMER}) td[name=name]`,
            run: "click",
        },
    ];
}

function openRequestFromList() {
    return {
        content: "Open the customer's request",
        trigger: `.o_list_view .o_data_row:contains(${CUSTOMER}) td[name=name]`,
        run: "click",
    };
}

function pickMany2one(fieldSelector, text, label = text) {
    return [
        {
            content: `Type ${text}`,
            trigger: `${fieldSelector} input`,
            run: `edit ${text}`,
        },
        {
            content: `Choose ${label}`,
            trigger: `.o-autocomplete--dropdown-item:contains(${label})`,
            run: "click",
        },
        {
            content: `${label} is chosen`,
            trigger: `${fieldSelector} input:value(${label})`,
        },
    ];
}

function selectOption(row, field, label) {
    return [
        {
            content: `Open ${field}`,
            trigger: `${row}.o_selected_row .o_field_widget[name=${field}] input`,
            run: "click",
        },
        {
            content: `Choose ${label}`,
            trigger: `.o_select_menu_menu .o_select_menu_item:contains(${label})`,
            run: "click",
        },
        {
            content: `${label} is shown`,
            trigger: `${row}.o_selected_row .o_field_widget[name=${field}] input:value(${label})`,
        },
    ];
}

function save() {
    return [
        { content: "Save", trigger: ".o_form_view .o_form_button_save", run: "click" },
        { content: "Saved", trigger: ".o_form_view .o_form_saved" },
    ];
}

function statusIs(label) {
    return {
        content: `The status is ${label}`,
        trigger: `.o_form_view .o_statusbar_status .o_arrow_button_current:contains(${label})`,
    };
}

function confirmDialog() {
    return {
        content: "Confirm",
        trigger: ".modal .modal-footer .btn-primary",
        run: "click",
    };
}

function scan(code) {
    // A keyboard-wedge scanner types fast and ends with Enter, wherever the focus is.
    return {
        content: `Scan ${code}`,
        trigger: ".o_form_view .o_field_widget[name=picking_id]",
        run() {
            for (const key of [...code, "Enter"]) {
                document.body.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
            }
        },
    };
}

// 1. The sales rep opens the delivered sale order from Sales → Orders and creates the request.
tours.add("rma_factory_chain_sales_rep", {
    url: "/odoo",
    steps: () => [
        ...openMenu("sale.sale_menu_root", "sale.sale_order_menu", "sale.menu_sale_order"),
        {
            content: "Open the customer's order",
            trigger: `.o_list_view .o_data_row:contains(${CUSTOMER}) td[name=name]`,
            run: "click",
        },
        {
            content: "Return Request",
            trigger: ".o_form_view button[name=action_create_rma_request]",
            run: "click",
        },
        {
            content: "The delivered line is prefilled",
            trigger: `.o_field_widget[name=line_ids] .o_data_row:contains(${PRODUCT})`,
        },
        {
            content: "The customer's buyer is the contact",
            trigger: ".o_field_widget[name=contact_id] input:value(Buyer Wang)",
        },
        {
            content: "Edit the line's reason",
            trigger: `.o_field_widget[name=line_ids] .o_data_row:contains(${PRODUCT}) td[name=reason]`,
            run: "click",
        },
        {
            content: "Why it comes back",
            trigger: ".o_field_widget[name=line_ids] .o_selected_row .o_field_widget[name=reason] textarea",
            run: "edit 运行一周后漏水",
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
        ...save(),
        {
            content: "Submit for approval",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            content: "The request waits for the supervisor",
            trigger: ".o_form_view .alert-info:contains(Business Supervisor)",
        },
    ],
});

// 2–4. Each signer of the chain opens the request from their activity and signs their step.
tours.add("rma_factory_chain_approve_from_activity", {
    url: "/odoo",
    steps: () => [
        ...openFromMyActivities(),
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
            content: "Signed: the step is no longer mine",
            trigger: "body:not(:has(.modal)) .o_form_view:not(:has(button[name=action_approve])) .o_form_statusbar",
        },
    ],
});

// 5. The warehouse keeper opens the return receipt from Inventory → Customer Returns and scans it.
tours.add("rma_factory_chain_keeper", {
    url: "/odoo",
    steps: () => [
        ...openMenu("stock.menu_stock_root", "stock.menu_stock_warehouse_mgmt", "rma_factory.menu_stock_rma_receipts"),
        {
            content: "Open the customer's return receipt",
            trigger: `.o_list_view .o_data_row:contains(${CUSTOMER}) td[name=name]`,
            run: "click",
        },
        {
            content: "Scan it",
            trigger: ".o_form_view button[name=action_rma_open_scanner]",
            run: "click",
        },
        {
            content: "The scanning screen shows the expected product",
            trigger: `.o_field_widget[name=line_ids] .o_data_row:contains(${PRODUCT})`,
        },
        scan(PRODUCT_BARCODE),
        { content: "First unit counted", trigger: ".alert-success:contains(: 1 / 3)" },
        scan(PRODUCT_BARCODE),
        { content: "Second unit counted", trigger: ".alert-success:contains(: 2 / 3)" },
        scan(PRODUCT_BARCODE),
        { content: "Third unit counted", trigger: ".alert-success:contains(: 3 / 3)" },
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
            content: "Validated",
            trigger: ".alert-success:contains(validated)",
        },
    ],
});

// 6. QC opens the inspection from Returns → Quality → Inspections, records the sample and the outcome.
const SAMPLES = ".o_field_widget[name=sample_ids]";
const OUTCOME = ".o_field_widget[name=line_ids]";
tours.add("rma_factory_chain_inspector", {
    url: "/odoo",
    steps: () => [
        ...openMenu("rma_factory.menu_rma_root", "rma_factory.menu_rma_quality", "rma_factory.menu_rma_inspection"),
        {
            content: "Open the inspection of the customer's return",
            trigger: `.o_list_view .o_data_row:contains(${CUSTOMER}) td[name=name]`,
            run: "click",
        },
        statusIs("To Inspect"),
        {
            content: "Add a sample",
            trigger: `${SAMPLES} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: `The sample is a ${PRODUCT}`,
            trigger: `${SAMPLES} .o_data_row:eq(0).o_selected_row .o_field_widget[name=inspection_line_id] input`,
            run: `edit ${PRODUCT}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item:contains(${PRODUCT})`,
            run: "click",
        },
        {
            trigger: `${SAMPLES} .o_data_row:eq(0).o_selected_row .o_field_widget[name=inspection_line_id] input:value(${PRODUCT})`,
        },
        ...selectOption(`${SAMPLES} .o_data_row:eq(0)`, "result", "Fail"),
        {
            content: "Defect type",
            trigger: `${SAMPLES} .o_data_row:eq(0).o_selected_row .o_field_widget[name=defect_type_id] input`,
            run: "edit Leak",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Leakage)",
            run: "click",
        },
        {
            content: "Note",
            trigger: `${SAMPLES} .o_data_row:eq(0).o_selected_row .o_field_widget[name=note] input`,
            run: "edit 泵体铸件气孔渗漏",
        },
        {
            content: "Outcome per Product",
            trigger: ".o_notebook a[name=outcome]",
            run: "click",
        },
        {
            content: "Edit the pump line",
            trigger: `${OUTCOME} .o_data_row:contains(${PRODUCT}) td[name=quality_verdict]`,
            run: "click",
        },
        ...selectOption(`${OUTCOME} .o_data_row`, "quality_verdict", "Quality Problem Confirmed"),
        {
            content: "All three to scrap",
            trigger: `${OUTCOME} .o_selected_row .o_field_widget[name=qty_scrap] input`,
            run: "edit 3",
        },
        {
            content: "None usable",
            trigger: `${OUTCOME} .o_selected_row .o_field_widget[name=qty_usable] input`,
            run: "edit 0",
        },
        {
            content: "Complete Inspection",
            trigger: ".o_form_view .o_form_statusbar button[name=action_complete]",
            run: "click",
        },
        statusIs("Completed"),
    ],
});

// 7. QA opens the request from Returns → Requests, holds the joint review, decides the
// responsibility, plans the dispositions with their executor and starts them.
const DISPOSITIONS = ".o_field_widget[name=disposition_ids]";
tours.add("rma_factory_chain_qa_review", {
    url: "/odoo",
    steps: () => [
        ...openMenu("rma_factory.menu_rma_root", "rma_factory.menu_rma_requests", "rma_factory.menu_rma_request_all"),
        openRequestFromList(),
        {
            content: "Organise the joint review",
            trigger: ".o_form_view button[name=action_organise_review]",
            run: "click",
        },
        statusIs("In Preparation"),
        {
            content: "The review follows the customer's wish",
            trigger: ".o_form_view .o_field_widget[name=decision] input:value(Return)",
        },
        {
            content: "Cause analysis",
            trigger: ".o_form_view .o_field_widget[name=cause_analysis] .odoo-editor-editable",
            run: "editor 泵体铸件气孔，密封面渗漏",
        },
        ...save(),
        {
            content: "Conclude",
            trigger: ".o_form_view button[name=action_conclude]",
            run: "click",
        },
        statusIs("Concluded"),
        {
            content: "Back to the request",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(RMA/)",
            run: "click",
        },
        {
            content: "Quality & Responsibility",
            trigger: ".o_notebook a[name=quality]",
            run: "click",
        },
        ...pickMany2one(".o_form_view .o_field_widget[name=responsibility_category_id]", "Product Quality"),
        {
            content: "Responsibility decision",
            trigger: ".o_form_view .o_field_widget[name=responsibility_note] textarea",
            run: "edit 铸造工序责任，生产部承担",
        },
        ...save(),
        {
            content: "Disposition & Closing",
            trigger: ".o_notebook a[name=disposition]",
            run: "click",
        },
        {
            content: "Plan Dispositions",
            trigger: ".o_form_view button[name=action_propose_dispositions]",
            run: "click",
        },
        {
            content: "The refund is planned",
            trigger: `${DISPOSITIONS} .o_data_row:contains(Refund)`,
        },
        {
            content: "Assign the scrap",
            trigger: `${DISPOSITIONS} .o_data_row:contains(Scrap) td[name=executor_id]`,
            run: "click",
        },
        ...pickMany2one(`${DISPOSITIONS} .o_selected_row .o_field_widget[name=executor_id]`, EXECUTOR),
        ...save(),
        {
            content: "Start Dispositions",
            trigger: ".o_form_view button[name=action_start_dispositions]",
            run: "click",
        },
        statusIs("Processing"),
        {
            content: "Both dispositions are done",
            trigger: `${DISPOSITIONS}:not(:has(.o_data_row .badge:contains(Planned)))`,
        },
    ],
});

// 8. The executing department opens its disposition from Returns → Quality → Dispositions and
// records what it did.
tours.add("rma_factory_chain_executor", {
    url: "/odoo",
    steps: () => [
        ...openMenu("rma_factory.menu_rma_root", "rma_factory.menu_rma_quality", "rma_factory.menu_rma_disposition"),
        {
            content: "Open my scrap disposition",
            trigger: `.o_list_view .o_data_row:contains(Scrap):contains(${PRODUCT}) td[name=product_id]`,
            run: "click",
        },
        {
            content: "Department",
            trigger: ".o_form_view .o_field_widget[name=executing_department] input",
            run: "edit 铸造车间",
        },
        {
            content: "Result",
            trigger: ".o_form_view .o_field_widget[name=execution_result] textarea",
            run: "edit 3台已在主管见证下报废",
        },
        {
            content: "Cost",
            trigger: ".o_form_view .o_field_widget[name=execution_cost] input",
            run: "edit 30",
        },
        ...save(),
    ],
});

// 9. QA opens the request from Returns → Requests (no activity waits for QA here), writes its
// verification of the execution and verifies it.
tours.add("rma_factory_chain_qa_verify", {
    url: "/odoo",
    steps: () => [
        ...openMenu("rma_factory.menu_rma_root", "rma_factory.menu_rma_requests", "rma_factory.menu_rma_request_all"),
        openRequestFromList(),
        statusIs("Processing"),
        {
            content: "Disposition & Closing",
            trigger: ".o_notebook a[name=disposition]",
            run: "click",
        },
        {
            content: "QA's verification of the execution",
            trigger: ".o_form_view .o_field_widget[name=qa_verification_note] textarea",
            run: "edit 报废已见证，退款金额已核对",
        },
        {
            content: "Verify Execution",
            trigger: ".o_form_view button[name=action_qa_verify]",
            run: "click",
        },
        statusIs("Verified by QA"),
    ],
});

// 10. The GM opens the request from the GM approval activity the verification gave them, writes
// the opinion and approves the internal disposition.
tours.add("rma_factory_chain_gm_approve", {
    url: "/odoo",
    steps: () => [
        ...openFromMyActivities(),
        statusIs("Verified by QA"),
        {
            content: "Disposition & Closing",
            trigger: ".o_notebook a[name=disposition]",
            run: "click",
        },
        {
            content: "The GM's opinion",
            trigger: ".o_form_view .o_field_widget[name=gm_opinion] textarea",
            run: "edit 同意，费用由生产部承担",
        },
        {
            content: "GM Approval",
            trigger: ".o_form_view button[name=action_gm_approve]",
            run: "click",
        },
        confirmDialog(),
        statusIs("Approved by GM"),
    ],
});

// 11. Finance opens the request from its booking activity, checks the credit note, pays the
// customer back (the credit note is reconciled with the payment) and signs the booking.
tours.add("rma_factory_chain_finance", {
    url: "/odoo",
    steps: () => [
        ...openFromMyActivities(),
        stepUtils.autoExpandMoreButtons(),
        {
            content: "The request's entries",
            trigger: ".o_form_view button[name=action_view_moves], .o-dropdown--menu button[name=action_view_moves]",
            run: "click",
        },
        {
            content: "Open the credit note",
            trigger: ".o_list_view .o_data_row:contains(Refund of) td[name=name]",
            run: "click",
        },
        {
            content: "It credits the returned pumps",
            trigger: `.o_form_view .o_field_widget[name=invoice_line_ids] .o_data_row:contains(${PRODUCT})`,
        },
        {
            content: "It is posted",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Posted)",
        },
        {
            content: "Pay the customer back",
            trigger: ".o_form_view button[name=action_register_payment]",
            run: "click",
        },
        {
            content: "Create the payment",
            trigger: ".modal button[name=action_create_payments]",
            run: "click",
        },
        {
            content: "The credit note is reconciled with the payment",
            trigger: "body:not(:has(.modal)) .o_form_view .ribbon:visible:contains(Paid), " +
                "body:not(:has(.modal)) .o_form_view .ribbon:visible:contains(In Payment)",
        },
        {
            content: "Back to the request",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(RMA/):not(:contains(Entries))",
            run: "click",
        },
        {
            content: "Finance Booked",
            trigger: ".o_form_view button[name=action_open_finance_booking]",
            run: "click",
        },
        {
            content: "What was checked",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit 红字发票已核对并退款核销",
        },
        {
            content: "Sign the booking",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Signed",
            trigger: "body:not(:has(.modal)) .o_form_view:not(:has(button[name=action_open_finance_booking])) .o_form_statusbar",
        },
    ],
});

// 12. QA prepares the RMA report from the analysis and sends it to the customer.
tours.add("rma_factory_chain_qa_report", {
    url: "/odoo",
    steps: () => [
        ...openMenu("rma_factory.menu_rma_root", "rma_factory.menu_rma_requests", "rma_factory.menu_rma_request_all"),
        openRequestFromList(),
        {
            content: "RMA Report",
            trigger: ".o_form_view button[name=action_prepare_customer_report]",
            run: "click",
        },
        statusIs("Draft"),
        {
            content: "The cause comes from the joint review",
            trigger: ".o_notebook a[name=cause]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=cause_analysis]:contains(泵体铸件气孔)",
        },
        {
            content: "Send to the customer",
            trigger: ".o_form_view button[name=action_send]",
            run: "click",
        },
        confirmDialog(),
        statusIs("Sent"),
    ],
});

// 13. The customer accepts the RMA report on the portal.
tours.add("rma_factory_chain_customer", {
    steps: () => [
        {
            content: "The RMA report waits for the answer",
            trigger: "#rma_report .o_rma_report_state_sent",
        },
        {
            content: "Accept",
            trigger: "#rma_answer_accept",
            run: "click",
        },
        {
            content: "Send the answer",
            trigger: "button.o_rma_answer_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked",
            trigger: ".o_rma_answer_thanks",
        },
        {
            content: "The report is accepted",
            trigger: "#rma_report .o_rma_report_state_accepted",
        },
    ],
});

// 14. QA opens the request from the accepted report's activity and closes it.
tours.add("rma_factory_chain_qa_close", {
    url: "/odoo",
    steps: () => [
        ...openFromMyActivities(),
        {
            content: "Close",
            trigger: ".o_form_view button[name=action_close]",
            run: "click",
        },
        confirmDialog(),
        statusIs("Closed"),
    ],
});
