import { registry } from "@web/core/registry";

// A QC inspector samples a returned lot of 15 pumps (10 % → 2 samples, one leaks), judges the
// line and completes the inspection. The received return is prepared by the Python test.
const SAMPLES = ".o_field_widget[name=sample_ids]";
const OUTCOME = ".o_field_widget[name=line_ids]";

function addSample(product, index) {
    const row = `${SAMPLES} .o_data_row:eq(${index}).o_selected_row`;
    return [
        {
            content: "Add a sample",
            trigger: `${SAMPLES} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: `Sample ${index + 1}: ${product}`,
            trigger: `${row} .o_field_widget[name=inspection_line_id] input`,
            run: `edit ${product}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item:contains(${product})`,
            run: "click",
        },
        {
            content: "The sample is on that product",
            trigger: `${row} .o_field_widget[name=inspection_line_id] input:value(${product})`,
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
            // Leaving the field before it shows the choice would clear it again.
            content: `${label} is shown`,
            trigger: `${row}.o_selected_row .o_field_widget[name=${field}] input:value(${label})`,
        },
    ];
}

registry.category("web_tour.tours").add("rma_factory_inspection", {
    steps: () => [
        {
            content: "The inspection waits for QC",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(To Inspect)",
        },
        // First sample: passes, with its measure.
        ...addSample("RMA Pump", 0),
        {
            content: "Measured pressure",
            trigger: `${SAMPLES} .o_data_row:eq(0).o_selected_row .o_field_widget[name=measured_value] input`,
            run: "edit 0.62 MPa",
        },
        // Second sample: fails on leakage.
        ...addSample("RMA Pump", 1),
        ...selectOption(`${SAMPLES} .o_data_row:eq(1)`, "result", "Fail"),
        {
            content: "Defect type",
            trigger: `${SAMPLES} .o_data_row:eq(1).o_selected_row .o_field_widget[name=defect_type_id] input`,
            run: "edit Leak",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Leakage)",
            run: "click",
        },
        {
            content: "Note",
            trigger: `${SAMPLES} .o_data_row:eq(1).o_selected_row .o_field_widget[name=note] input`,
            run: "edit 密封圈渗漏",
        },
        {
            content: "Outcome per Product",
            trigger: ".o_notebook a[name=outcome]",
            run: "click",
        },
        {
            content: "Edit the pump line",
            trigger: `${OUTCOME} .o_data_row:contains(RMA Pump) td[name=quality_verdict]`,
            run: "click",
        },
        ...selectOption(`${OUTCOME} .o_data_row`, "quality_verdict", "Quality Problem Confirmed"),
        {
            content: "Three to scrap",
            trigger: `${OUTCOME} .o_selected_row .o_field_widget[name=qty_scrap] input`,
            run: "edit 3",
        },
        {
            content: "Twelve usable",
            trigger: `${OUTCOME} .o_selected_row .o_field_widget[name=qty_usable] input`,
            run: "edit 12",
        },
        {
            content: "The judgement follows the line",
            trigger: ".o_form_view .o_field_widget[name=verdict]:contains(Quality Problem Confirmed)",
        },
        {
            content: "Complete Inspection",
            trigger: ".o_form_view .o_form_statusbar button[name=action_complete]",
            run: "click",
        },
        {
            content: "The inspection is completed",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Completed)",
        },
        {
            content: "Its summary counts one failure out of two samples",
            trigger: ".o_form_view .o_field_widget[name=failure_rate]:contains(50.0)",
        },
        {
            content: "The report can be printed",
            trigger: ".o_form_view .o_form_statusbar button[name=action_print_report]",
        },
    ],
});
