import { registry } from "@web/core/registry";

// A customer sends a return request with a photo from the portal (#14). The delivered sale order
// and the portal user are created by the Python test (test_rma_portal.py).
const PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

registry.category("web_tour.tours").add("rma_factory_portal_request", {
    url: "/my/returns",
    steps: () => [
        {
            content: "Start a new return request",
            trigger: "a.o_rma_portal_new",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Pick the delivered order",
            trigger: "a.o_rma_pick_order",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The warranty is shown before sending",
            trigger: ".o_rma_portal_move .o_rma_warranty.text-success",
        },
        {
            content: "Quantity to return",
            trigger: ".o_rma_portal_move input[name^=qty_]",
            run: "edit 1",
        },
        {
            content: "Why",
            trigger: ".o_rma_portal_move input[name^=reason_]",
            run: "edit 运行一周后漏水",
        },
        {
            content: "Attach a photo",
            trigger: "input[name=photos]",
            run() {
                const bytes = Uint8Array.from(atob(PNG_1PX), (c) => c.charCodeAt(0));
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], "leak.png", { type: "image/png" }));
                this.anchor.files = transfer.files;
            },
        },
        {
            content: "Send the request",
            trigger: "button.o_rma_portal_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is sent and shows its photo",
            trigger: ".o_rma_portal_sent",
        },
        {
            content: "The photo is among its files",
            trigger: "a.o_rma_portal_photo:contains(leak.png)",
        },
    ],
});
