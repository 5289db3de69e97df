#!/bin/bash
# service-health.sh - Check service and process health

SERVICES=("webapp" "database" "worker")

for service in "${SERVICES[@]}"; do
    echo "Checking $service..."

    # Get service status
    STATUS=$(initctl status $service)

    # Check if active
    if echo "$STATUS" | grep -q "Status: active"; then
        # Get PID
        PID=$(echo "$STATUS" | grep "PID:" | awk '{print $2}')

        # Check process details
        PROC=$(initctl ps status $PID)
        CPU=$(echo "$PROC" | grep "CPU:" | awk '{print $2}')
        MEM=$(echo "$PROC" | grep "Memory:" | awk '{print $2}')

        echo "  ✓ Active (PID: $PID, CPU: $CPU, MEM: $MEM)"
    else
        echo "  ✗ Inactive"
    fi
done
