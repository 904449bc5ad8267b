import { registry } from "@web/core/registry";

// A customer answers the RMA report of their return on the portal (#14): they disagree, with a
// comment. The request and its sent report are created by the Python test
// (test_rma_customer_report.py).
registry.category("web_tour.tours").add("rma_factory_portal_answer", {
    steps: () => [
        {
            content: "The RMA report waits for the answer",
            trigger: "#rma_report .o_rma_report_state_sent",
        },
        {
            content: "Its PDF can be downloaded",
            trigger: "a[class*=o_rma_document_customer_report_]",
        },
        {
            content: "Disagree",
            trigger: "#rma_answer_disagree",
            run: "click",
        },
        {
            content: "Say why",
            trigger: "#rma_answer_comment",
            run: "edit 同批次在我方另一工厂也失效",
        },
        {
            content: "Send the answer",
            trigger: "button.o_rma_answer_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked, a new version will follow",
            trigger: ".o_rma_answer_thanks",
        },
        {
            content: "The report shows the disagreement",
            trigger: "#rma_report .o_rma_report_state_disagreed",
        },
    ],
});
